import RecordStore
import Testing

/// One suite, run against every adapter in ``StoreKind/enabled``: the adapters must be interchangeable.
@Suite("Every record store behaves the same")
struct RecordStoreConformanceTests {
    @Test("a record reads back with every field exactly as stored", arguments: StoreKind.enabled)
    func readBackExactly(kind: StoreKind) async throws {
        let json = #"{"b": 1,  "a": [1.50, null, "\u00e9"]}"#
        let full = Record(
            messageId: "full",
            subscription: "projects/p/subscriptions/s",
            topic: "projects/p/topics/t",
            publishTime: baseTime + 123_456,
            receivedAt: baseTime + 999_999,
            attributes: ["kind": "reading", "ünïcode": "✓ ok", "empty": ""],
            orderingKey: "sensor-7",
            deliveryAttempt: 3,
            data: Array(json.utf8),
            dataJSON: json
        )
        let binary = Record(
            messageId: "binary",
            subscription: "projects/p/subscriptions/s",
            publishTime: baseTime,
            receivedAt: baseTime + 1,
            data: [0x00, 0xFF, 0x7B, 0x01, 0x80, 0x00]
        )
        let bare = Record(messageId: "bare", subscription: "projects/p/subscriptions/s", publishTime: 0, receivedAt: 0)
        try await kind.withStore { store, _ async throws in
            #expect(try await store.insert([full, binary, bare]) == [true, true, true])
            for expected in [full, binary, bare] {
                #expect(try await store.record(messageId: expected.messageId, subscription: nil) == expected)
            }
            #expect(try await store.records(matching: RecordFilter(), after: nil, limit: 10) == [full, binary, bare])
        }
    }

    @Test("a redelivery is not stored again and reports false", arguments: StoreKind.enabled)
    func redelivery(kind: StoreKind) async throws {
        let first = record("m-1", attributes: ["v": "1"], data: Array("first".utf8))
        var again = record("m-1", attributes: ["v": "2"], data: Array("again".utf8))
        again.deliveryAttempt = 2
        try await kind.withStore { store, _ async throws in
            #expect(try await store.insert([first]) == [true])
            #expect(try await store.insert([again]) == [false])
            #expect(try await store.record(messageId: "m-1", subscription: nil) == first)
            #expect(try await store.records(matching: RecordFilter(), after: nil, limit: 10) == [first])
            let byNewValue = RecordFilter(attributes: [.init(key: "v", value: "2")])
            #expect(try await store.records(matching: byNewValue, after: nil, limit: 10).isEmpty)
        }
    }

    @Test("the same message id in another subscription is a different record", arguments: StoreKind.enabled)
    func identityIncludesSubscription(kind: StoreKind) async throws {
        try await kind.withStore { store, _ async throws in
            #expect(try await store.insert([record("m", subscription: "s1")]) == [true])
            let batch = [record("m", subscription: "s2"), record("m", subscription: "s1")]
            #expect(try await store.insert(batch) == [true, false])
            #expect(try await store.records(matching: RecordFilter(), after: nil, limit: 10).count == 2)
        }
    }

    @Test("inside one batch the first of two duplicates wins and the later reports false", arguments: StoreKind.enabled)
    func duplicatesInOneBatch(kind: StoreKind) async throws {
        let first = record("dup", attributes: ["copy": "first"], data: [1])
        let other = record("other", at: baseTime + 1)
        let second = record("dup", attributes: ["copy": "second"], data: [2])
        try await kind.withStore { store, _ async throws in
            #expect(try await store.insert([first, other, second]) == [true, true, false])
            #expect(try await store.insert([]) == [])
            #expect(try await store.record(messageId: "dup", subscription: nil) == first)
            let bySecond = RecordFilter(attributes: [.init(key: "copy", value: "second")])
            #expect(try await store.records(matching: bySecond, after: nil, limit: 10).isEmpty)
            let stats = try await store.stats(matching: RecordFilter(), bucket: .day, groupBy: "copy")
            #expect(stats.map(\.group) == [nil, "first"])
        }
    }

    @Test(
        "record(messageId:) answers the newest with that id, or the one in the given subscription",
        arguments: StoreKind.enabled
    )
    func recordByID(kind: StoreKind) async throws {
        let older = record("same", subscription: "s1", at: baseTime)
        let newest = record("same", subscription: "s2", at: baseTime + 2)
        let middle = record("same", subscription: "s3", at: baseTime + 1)
        try await kind.withStore { store, _ async throws in
            _ = try await store.insert([older, newest, middle, record("unrelated", at: baseTime + 5)])
            #expect(try await store.record(messageId: "same", subscription: nil) == newest)
            #expect(try await store.record(messageId: "same", subscription: "s1") == older)
            #expect(try await store.record(messageId: "same", subscription: "s3") == middle)
            #expect(try await store.record(messageId: "same", subscription: "s4") == nil)
            #expect(try await store.record(messageId: "missing", subscription: nil) == nil)
            #expect(try await store.record(messageId: "'; DROP TABLE records; --", subscription: nil) == nil)
        }
    }
}

extension RecordStoreConformanceTests {
    @Test(
        "two stores inserting the same batch in opposite orders at once both succeed, storing each record once",
        arguments: StoreKind.enabled
    )
    func concurrentOverlappingBatches(kind: StoreKind) async throws {
        try await kind.withStore { first, database in
            try await database.withStore { second in
                for round in 0..<5 {
                    let batch = (0..<40).map { record("r\(round)-\($0)", at: baseTime + Int64($0)) }
                    async let forward = first.insert(batch)
                    async let backward = second.insert(batch.reversed())
                    let (a, b) = try await (forward, backward)
                    let storedByBoth = zip(a, b.reversed()).map { $0 != $1 }
                    #expect(storedByBoth.allSatisfy { $0 }, "each record is new for exactly one of the two batches")
                }
                #expect(try await first.records(matching: RecordFilter(), after: nil, limit: 1000).count == 200)
            }
        }
    }
}
