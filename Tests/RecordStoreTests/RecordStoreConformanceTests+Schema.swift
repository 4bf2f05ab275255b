import RecordStore
import Testing

extension RecordStoreConformanceTests {
    @Test("running the migrations twice is harmless", arguments: StoreKind.enabled)
    func migrateTwice(kind: StoreKind) async throws {
        try await kind.withStore { store, database in
            let secret = try await store.cursorSecret()
            #expect(try await store.insert([record("kept", attributes: ["a": "1"])]) == [true])
            try await store.migrate()
            try await database.withStore { again in try await again.migrate() }
            #expect(try await store.cursorSecret() == secret)
            let kept = try await store.record(messageId: "kept", subscription: nil)
            #expect(kept == record("kept", attributes: ["a": "1"]))
            #expect(try await store.insert([record("after", at: baseTime + 1, attributes: ["a": "1"])]) == [true])
            let byAttribute = RecordFilter(attributes: [.init(key: "a", value: "1")])
            let listed = try await store.records(matching: byAttribute, after: nil, limit: 10)
            #expect(listed.map(\.messageId) == ["after", "kept"])
        }
    }

    @Test("two stores migrating an empty database at once both succeed", arguments: StoreKind.enabled)
    func concurrentMigrations(kind: StoreKind) async throws {
        try await kind.withStore(migrated: false) { first, database in
            try await database.withStore { second in
                async let one: Void = first.migrate()
                async let two: Void = second.migrate()
                _ = try await (one, two)
                #expect(try await first.cursorSecret() == second.cursorSecret())
                #expect(try await second.insert([record("m", attributes: ["k": "v"])]) == [true])
                #expect(
                    try await first.records(
                        matching: RecordFilter(attributes: [.init(key: "k", value: "v")]),
                        after: nil,
                        limit: 1
                    ).count == 1
                )
            }
        }
    }

    @Test(
        "the cursor secret is 32 bytes, stable across calls and across a second store on the same database",
        arguments: StoreKind.enabled
    )
    func cursorSecret(kind: StoreKind) async throws {
        try await kind.withStore { store, database in
            let secret = try await store.cursorSecret()
            #expect(secret.count == 32)
            #expect(Set(secret).count > 8, "32 random bytes are rarely this repetitive: \(secret)")
            #expect(try await store.cursorSecret() == secret)
            try await database.withStore { second in
                let fromSecond = try await second.cursorSecret()
                #expect(fromSecond == secret)
            }
            try await kind.withStore { elsewhere, _ in
                let fromElsewhere = try await elsewhere.cursorSecret()
                #expect(fromElsewhere != secret, "another database has the same secret")
            }
        }
    }

    @Test(
        "upgrading a version-1 schema keeps its rows and makes them filterable by attribute",
        arguments: StoreKind.enabled
    )
    func upgradeFromVersion1(kind: StoreKind) async throws {
        let json = #"{"reading": 21.5}"#
        var old = [
            record("old-1", at: baseTime, attributes: ["site": "lab", "kind": "reading"], orderingKey: "k"),
            record("old-2", at: baseTime + minute, attributes: ["site": "field"]),
            record("old-3", subscription: "projects/p/subscriptions/other", at: baseTime + 2 * minute),
        ]
        old[0].topic = "projects/p/topics/t"
        old[0].deliveryAttempt = 4
        old[0].data = Array(json.utf8)
        old[0].dataJSON = json
        try await kind.withStore(migrated: false) { store, database in
            try await store.migrate(upTo: 1)
            try await database.insertAsVersion1(old)
            try await store.migrate()
            #expect(try await store.records(matching: RecordFilter(), after: nil, limit: 10) == newestFirst(old))
            let lab = RecordFilter(attributes: [.init(key: "site", value: "lab")])
            #expect(try await store.records(matching: lab, after: nil, limit: 10) == [old[0]])
            let both = RecordFilter(attributes: [
                .init(key: "kind", value: "reading"), .init(key: "site", value: "lab"),
            ])
            #expect(try await store.records(matching: both, after: nil, limit: 10) == [old[0]])
            let bySite = try await store.stats(matching: RecordFilter(), bucket: .day, groupBy: "site")
            #expect(bySite.map(\.group) == [nil, "field", "lab"])
            let newer = record("new", at: baseTime + 3 * minute, attributes: ["site": "lab"])
            #expect(try await store.insert([old[1], newer]) == [false, true])
            #expect(try await store.records(matching: lab, after: nil, limit: 10).map(\.messageId) == ["new", "old-1"])
            #expect(try await store.cursorSecret().count == 32)
        }
    }

    @Test("the plan of every query shape uses an index", arguments: StoreKind.enabled)
    func plansUseIndexes(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            _ = try await store.insert(sampleRecords(count: 50))
            for shape in QueryShape.allCases {
                let plan = try await store.explain(shape)
                #expect(!plan.isEmpty, "no plan for \(shape)")
                let unindexed = plan.split(separator: "\n").filter { line in
                    switch kind {
                    case .postgres:
                        return line.contains("Seq Scan on records") || line.contains("Seq Scan on record_attributes")
                    case .sqlite:
                        // Every scan of a table names the index it walks; SQLite may name tables by their alias.
                        let detail = line.trimmingPrefix(while: { !$0.isLetter })
                        return detail.hasPrefix("SCAN ") && !detail.contains("INDEX") && !detail.contains("USING")
                            && !detail.contains("CONSTANT ROW") && !detail.contains("subquery")
                    }
                }
                #expect(unindexed.isEmpty, "\(shape) scans a whole table:\n\(plan)")
            }
        }
    }
}
