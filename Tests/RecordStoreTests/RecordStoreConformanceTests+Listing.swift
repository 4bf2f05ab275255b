import RecordStore
import Testing

extension RecordStoreConformanceTests {
    @Test(
        "listings are newest first, ties on publishTime broken by messageId then subscription, bytewise",
        arguments: StoreKind.enabled
    )
    func order(kind: StoreKind) async throws {
        let ids = ["a", "B", "b", "a-b", "ab", "a/b", "10", "9", "Z", "é", "a b"]
        var records = ids.flatMap { id in ["s-1", "s1", "S2"].map { record(id, subscription: $0) } }
        records += [record("newer", at: baseTime + 1), record("older", at: baseTime - 1)]
        try await kind.withStore { store, _ in
            _ = try await store.insert(records.shuffled())
            let listed = try await store.records(matching: RecordFilter(), after: nil, limit: 1000)
            #expect(listed.map(\.position) == newestFirst(records).map(\.position))
        }
    }

    @Test(
        "paging with after visits every record exactly once, with and without filters",
        arguments: StoreKind.enabled
    )
    func paging(kind: StoreKind) async throws {
        let records = sampleRecords(count: 300)
        let filters = [
            RecordFilter(),
            RecordFilter(attributes: [.init(key: "color", value: "red")]),
            RecordFilter(subscription: "projects/p/subscriptions/a"),
            RecordFilter(orderingKey: "k1"),
            RecordFilter(from: baseTime + 600 * minute, to: baseTime + 2_000 * minute),
        ]
        try await kind.withStore { store, _ in
            #expect(try await store.insert(records).allSatisfy { $0 })
            for filter in filters {
                let expected = newestFirst(records.filter { matches($0, filter) })
                let paged = try await allPages(of: store, matching: filter, pageSize: 17)
                #expect(paged.map(\.position) == expected.map(\.position), "\(filter)")
                #expect(Set(paged.map(\.position)).count == paged.count, "a record was visited twice: \(filter)")
            }
            let first = try await store.records(matching: RecordFilter(), after: nil, limit: 5)
            #expect(first.count == 5)
        }
    }

    @Test("each filter alone and combined selects exactly the matching records", arguments: StoreKind.enabled)
    func filters(kind: StoreKind) async throws {
        let records = sampleRecords(count: 200, seed: 11)
        let red = RecordFilter.AttributeMatch(key: "color", value: "red")
        let large = RecordFilter.AttributeMatch(key: "size", value: "L")
        let from = baseTime + 500 * minute
        let to = baseTime + 1_800 * minute
        let filters = [
            RecordFilter(from: from),
            RecordFilter(to: to),
            RecordFilter(from: from, to: to),
            RecordFilter(subscription: "projects/p/subscriptions/b"),
            RecordFilter(orderingKey: "k2"),
            RecordFilter(attributes: [red]),
            RecordFilter(attributes: [red, large]),
            RecordFilter(attributes: [large, red]),
            RecordFilter(attributes: [red, .init(key: "color", value: "blue")]),
            RecordFilter(attributes: [.init(key: "missing", value: "x")]),
            RecordFilter(attributes: [.init(key: "batch", value: "b0")], subscription: "projects/q/subscriptions/a"),
            RecordFilter(attributes: [.init(key: "color", value: "blue")], orderingKey: "k1"),
            RecordFilter(from: from, to: to, attributes: [red]),
            RecordFilter(from: from, to: to, orderingKey: "k1", subscription: "projects/p/subscriptions/a"),
            RecordFilter(from: from, to: to, attributes: [red], orderingKey: "k1"),
        ]
        try await kind.withStore { store, _ in
            _ = try await store.insert(records)
            for filter in filters {
                let expected = newestFirst(records.filter { matches($0, filter) })
                let listed = try await store.records(matching: filter, after: nil, limit: 1000)
                #expect(listed == expected, "\(filter)")
            }
            let vacuous = filters.filter { filter in !records.contains { matches($0, filter) } }
            #expect(vacuous.count == 2, "only the two contradictory filters may match nothing: \(vacuous)")
        }
    }

    @Test("attribute keys and values with quotes, %, _, * and SQL match only themselves", arguments: StoreKind.enabled)
    func literalAttributes(kind: StoreKind) async throws {
        let injection = "'; DROP TABLE records; --"
        let records = [
            record("quote", attributes: ["q'uote": #"it's "quoted""#]),
            record("percent", attributes: ["pct": "100%"]),
            record("hundred", attributes: ["pct": "100"]),
            record("thousand", attributes: ["pct": "1000"]),
            record("underscore", attributes: ["under_score": "a_c"]),
            record("abc", attributes: ["under_score": "abc", "underXscore": "a_c"]),
            record("star", attributes: ["star": "*"]),
            record("anything", attributes: ["star": "anything"]),
            record("sql-value", attributes: ["sql": injection]),
            record("sql-key", attributes: [injection: "x"]),
            record("backslash", attributes: [#"back\slash"#: #"C:\path\_%"#]),
        ]
        let cases: [(String, String, [String])] = [
            ("q'uote", #"it's "quoted""#, ["quote"]),
            ("pct", "100%", ["percent"]),
            ("pct", "100_", []),
            ("pct", "%", []),
            ("pct", "*", []),
            ("under_score", "a_c", ["underscore"]),
            ("under%", "a_c", []),
            ("under_score", "a%", []),
            ("star", "*", ["star"]),
            ("sql", injection, ["sql-value"]),
            (injection, "x", ["sql-key"]),
            (#"back\slash"#, #"C:\path\_%"#, ["backslash"]),
            (#"back\\slash"#, #"C:\\path\\_%"#, []),
        ]
        try await kind.withStore { store, _ in
            _ = try await store.insert(records)
            for (key, value, expected) in cases {
                let filter = RecordFilter(attributes: [.init(key: key, value: value)])
                let listed = try await store.records(matching: filter, after: nil, limit: 100)
                #expect(listed.map(\.messageId) == expected, "\(key)=\(value)")
                let counted = try await store.stats(matching: filter, bucket: .day, groupBy: key)
                #expect(counted.reduce(0) { $0 + $1.count } == expected.count, "\(key)=\(value)")
            }
            let grouped = try await store.stats(matching: RecordFilter(), bucket: .day, groupBy: injection)
            #expect(grouped.map(\.group) == [nil, "x"])
            #expect(try await store.records(matching: RecordFilter(), after: nil, limit: 100).count == records.count)
        }
    }

    @Test("from is inclusive and to is exclusive", arguments: StoreKind.enabled)
    func timeBounds(kind: StoreKind) async throws {
        let t = baseTime
        let records = [
            record("before", at: t - 1), record("at", at: t), record("inside", at: t + 1),
            record("at-to", at: t + 2),
        ]
        try await kind.withStore { store, _ in
            _ = try await store.insert(records)
            func ids(_ filter: RecordFilter) async throws -> [String] {
                try await store.records(matching: filter, after: nil, limit: 10).map(\.messageId)
            }
            #expect(try await ids(RecordFilter(from: t, to: t + 2)) == ["inside", "at"])
            #expect(try await ids(RecordFilter(from: t)) == ["at-to", "inside", "at"])
            #expect(try await ids(RecordFilter(to: t)) == ["before"])
            #expect(try await ids(RecordFilter(from: t + 1, to: t + 1)) == [])
            let counted = try await store.stats(
                matching: RecordFilter(from: t, to: t + 2),
                bucket: .minute,
                groupBy: nil
            )
            #expect(counted.reduce(0) { $0 + $1.count } == 2)
        }
    }
}
