import RecordStore
import Testing

extension RecordStoreConformanceTests {
    @Test(
        "a page stops before the record that would take it past its byte budget, and says more follow",
        arguments: StoreKind.enabled
    )
    func pageByteBudget(kind: StoreKind) async throws {
        // Newest first: 10 kB, 30 kB, 10 kB, 10 kB, each weighing twice its payload.
        let sizes = [10_000, 30_000, 10_000, 10_000]
        let records = sizes.enumerated().map { index, size in
            record("r\(index)", at: baseTime - Int64(index), data: [UInt8](repeating: 0x61, count: size))
        }
        try await kind.withStore { store, _ in
            _ = try await store.insert(records)
            func page(after: RecordPosition?, maxBytes: Int) async throws -> RecordPage {
                try await store.records(
                    matching: RecordFilter(),
                    after: after,
                    budget: PageBudget(limit: 100, maxBytes: maxBytes)
                )
            }
            let first = try await page(after: nil, maxBytes: 50_000)
            #expect(first.records.map(\.messageId) == ["r0"])
            #expect(first.hasMore)
            // A record over the whole budget still comes, alone, so that a listing never stalls on it.
            let second = try await page(after: first.records.last?.position, maxBytes: 50_000)
            #expect(second.records.map(\.messageId) == ["r1"])
            #expect(second.hasMore)
            let third = try await page(after: second.records.last?.position, maxBytes: 50_000)
            #expect(third.records.map(\.messageId) == ["r2", "r3"])
            #expect(!third.hasMore)
            #expect(third.records == Array(records.suffix(2)))
        }
    }

    @Test(
        "a page that runs out of records before its budget says none follow; one that fills its limit, that more do",
        arguments: StoreKind.enabled
    )
    func pageLimit(kind: StoreKind) async throws {
        let records = (0..<5).map { record("r\($0)", at: baseTime - Int64($0)) }
        try await kind.withStore { store, _ in
            _ = try await store.insert(records)
            let full = try await store.records(matching: RecordFilter(), after: nil, budget: PageBudget(limit: 5))
            #expect(full.records.count == 5)
            #expect(!full.hasMore)
            let partial = try await store.records(matching: RecordFilter(), after: nil, budget: PageBudget(limit: 4))
            #expect(partial.records.map(\.messageId) == ["r0", "r1", "r2", "r3"])
            #expect(partial.hasMore)
        }
    }

    @Test("counts stop at their limit, oldest buckets first", arguments: StoreKind.enabled)
    func statsLimit(kind: StoreKind) async throws {
        let records = (0..<5).map { record("r\($0)", at: baseTime + Int64($0) * 60 * minute) }
        try await kind.withStore { store, _ in
            _ = try await store.insert(records)
            let rows = try await store.stats(matching: RecordFilter(), bucket: .hour, groupBy: nil, limit: 3)
            #expect(rows.map(\.count) == [1, 1, 1])
            #expect(rows.map(\.bucketStart) == rows.map(\.bucketStart).sorted())
            #expect(try await store.stats(matching: RecordFilter(), bucket: .hour, groupBy: nil).count == 5)
        }
    }
}
