import ContrailKit
import RecordStore

/// 2023-11-14T22:13:20Z, in microseconds: the base of every test's publish times.
let baseTime: Timestamp = 1_700_000_000_000_000
let minute: Int64 = 60_000_000
let defaultSubscription = "projects/p/subscriptions/s"

func record(
    _ messageId: String,
    subscription: String = defaultSubscription,
    at publishTime: Timestamp = baseTime,
    attributes: [String: String] = [:],
    orderingKey: String? = nil,
    data: [UInt8] = Array("payload".utf8)
) -> Record {
    Record(
        messageId: messageId,
        subscription: subscription,
        publishTime: publishTime,
        receivedAt: publishTime + 1_000,
        attributes: attributes,
        orderingKey: orderingKey,
        data: data
    )
}

/// The listing order every store must use: publishTime, then messageId, then subscription, all descending, with
/// text compared bytewise (not by locale).
func newestFirst(_ records: [Record]) -> [Record] {
    records.sorted { a, b in
        if a.publishTime != b.publishTime { return a.publishTime > b.publishTime }
        if a.messageId != b.messageId { return bytewise(b.messageId, a.messageId) }
        return bytewise(b.subscription, a.subscription)
    }
}

func bytewise(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// Whether `record` satisfies `filter`, decided here independently of any store.
func matches(_ record: Record, _ filter: RecordFilter) -> Bool {
    if let from = filter.from, record.publishTime < from { return false }
    if let to = filter.to, record.publishTime >= to { return false }
    if let subscription = filter.subscription, record.subscription != subscription { return false }
    if let orderingKey = filter.orderingKey, record.orderingKey != orderingKey { return false }
    return filter.attributes.allSatisfy { record.attributes[$0.key] == $0.value }
}

/// Every record matching `filter`, read page by page with `after`, as `/records` pages with cursors.
func allPages(
    of store: any RecordStore,
    matching filter: RecordFilter = RecordFilter(),
    pageSize: Int
) async throws
    -> [Record]
{
    var collected: [Record] = []
    var position: RecordPosition?
    while true {
        let page = try await store.records(matching: filter, after: position, limit: pageSize)
        collected += page
        guard page.count == pageSize, let last = page.last else { return collected }
        position = last.position
    }
}

/// A deterministic generator, so a failing data set can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {  // SplitMix64
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Records spread over two days and three subscriptions, with a few attributes and ordering keys, many sharing
/// a publish time.
func sampleRecords(count: Int, seed: UInt64 = 7) -> [Record] {
    var random = SeededGenerator(seed: seed)
    let subscriptions = ["projects/p/subscriptions/a", "projects/p/subscriptions/b", "projects/q/subscriptions/a"]
    let colors = ["red", "green", "blue"]
    return (0..<count).map { index in
        var attributes: [String: String] = [:]
        if Bool.random(using: &random) { attributes["color"] = colors.randomElement(using: &random)! }
        if Int.random(in: 0..<3, using: &random) == 0 {
            attributes["size"] = ["S", "L"].randomElement(using: &random)!
        }
        if index % 5 == 0 { attributes["batch"] = "b\(index % 3)" }
        return record(
            "m-\(Int.random(in: 0..<(count / 2), using: &random))-\(index)",
            subscription: subscriptions.randomElement(using: &random)!,
            at: baseTime + Int64.random(in: 0..<(2 * 24 * 60), using: &random) / 4 * 4 * minute
                + Int64.random(in: 0..<3, using: &random) * 1_000_000,
            attributes: attributes,
            orderingKey: index % 4 == 0 ? ["k1", "k2"].randomElement(using: &random)! : nil
        )
    }
}
