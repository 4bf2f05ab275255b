import ContrailKit
import RecordStore
import Testing

extension RecordStoreConformanceTests {
    @Test(
        "stats per minute, hour and day, with and without groupBy, agree with counts computed here",
        arguments: StoreKind.enabled
    )
    func stats(kind: StoreKind) async throws {
        let records = sampleRecords(count: 300, seed: 23)
        let filters = [
            RecordFilter(),
            RecordFilter(subscription: "projects/p/subscriptions/a"),
            RecordFilter(attributes: [.init(key: "size", value: "L")]),
            RecordFilter(from: baseTime + 90 * minute, to: baseTime + 1_500 * minute, orderingKey: "k1"),
        ]
        try await kind.withStore { store, _ in
            _ = try await store.insert(records)
            for bucket in StatsBucket.allCases {
                for groupBy in [nil, "color", "size", "absent"] as [String?] {
                    for filter in filters {
                        let expected = expectedStats(records.filter { matches($0, filter) }, bucket, groupBy)
                        let counted = try await store.stats(matching: filter, bucket: bucket, groupBy: groupBy)
                        #expect(counted == expected, "\(bucket) by \(groupBy ?? "nothing") for \(filter)")
                    }
                }
            }
            let none = RecordFilter(attributes: [.init(key: "color", value: "purple")])
            #expect(try await store.stats(matching: none, bucket: .hour, groupBy: nil).isEmpty)
        }
    }
}

/// Counts per bucket and group, oldest bucket first, then records without the attribute, then groups bytewise.
private func expectedStats(_ records: [Record], _ bucket: StatsBucket, _ groupBy: String?) -> [StatsRow] {
    var counts: [Timestamp: [String?: Int]] = [:]
    for record in records {
        let start = record.publishTime - record.publishTime.microsecondsSinceEpoch % bucket.microseconds
        counts[start, default: [:]][groupBy.flatMap { record.attributes[$0] }, default: 0] += 1
    }
    return counts.keys.sorted().flatMap { start in
        counts[start]!.sorted { a, b in
            switch (a.key, b.key) {
            case (nil, _): return b.key != nil
            case (_, nil): return false
            case (let a?, let b?): return bytewise(a, b)
            }
        }
        .map { StatsRow(bucketStart: start, group: $0.key, count: $0.value) }
    }
}
