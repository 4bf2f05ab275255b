import CoreMetrics
import Metrics
import Tracing

/// Wraps a store with a span per call and the store's metrics: commit latency and batch size, errors per
/// operation, and calls in flight against the connections available (each call holds one connection).
public struct InstrumentedRecordStore: RecordStore {
    public static let commitDurationName = "contrail_store_commit_duration_seconds"
    public static let batchSizeName = "contrail_store_commit_batch_size"
    public static let errorsName = "contrail_store_errors_total"
    public static let inUseName = "contrail_store_pool_connections_in_use"
    public static let maximumName = "contrail_store_pool_connections_max"

    /// Histogram buckets for a Prometheus factory, by metric name.
    public static let durationBuckets: [String: [Duration]] = [
        commitDurationName: [
            .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5), .seconds(10),
        ]
    ]
    public static let valueBuckets: [String: [Double]] = [batchSizeName: [1, 2, 4, 8, 16, 32, 64, 128, 256]]

    private let store: any RecordStore
    private let system: String
    private let commitDuration = Metrics.Timer(label: Self.commitDurationName)
    private let batchSize = Recorder(label: Self.batchSizeName)
    private let inUse = Meter(label: Self.inUseName)
    private let errors: [String: Counter]

    /// - Parameters:
    ///   - system: the database, for spans (`sqlite`, `postgresql`).
    ///   - connections: how many connections the store can use at once.
    public init(_ store: any RecordStore, system: String, connections: Int) {
        self.store = store
        self.system = system
        self.errors = Dictionary(
            uniqueKeysWithValues: ["insert", "query", "stats", "migrate", "health"].map {
                ($0, Counter(label: Self.errorsName, dimensions: [("operation", $0)]))
            }
        )
        Gauge(label: Self.maximumName).record(connections)
    }

    public func migrate() async throws {
        try await self.measure("migrate", errors: "migrate") { try await self.store.migrate() }
    }

    public func insert(_ records: [Record]) async throws -> [Bool] {
        let started = ContinuousClock.now
        let stored = try await self.measure("insert", errors: "insert") { span in
            span.attributes["db.batch.size"] = records.count
            return try await self.store.insert(records)
        }
        let elapsed = started.duration(to: .now)
        self.commitDuration.recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        )
        self.batchSize.record(records.count)
        return stored
    }

    public func records(
        matching filter: RecordFilter,
        after position: RecordPosition?,
        budget: PageBudget
    ) async throws
        -> RecordPage
    {
        try await self.measure("records", errors: "query") { _ in
            try await self.store.records(matching: filter, after: position, budget: budget)
        }
    }

    public func record(messageId: String, subscription: String?) async throws -> Record? {
        try await self.measure("record", errors: "query") { _ in
            try await self.store.record(messageId: messageId, subscription: subscription)
        }
    }

    public func stats(
        matching filter: RecordFilter,
        bucket: StatsBucket,
        groupBy: String?,
        limit: Int
    ) async throws
        -> [StatsRow]
    {
        try await self.measure("stats", errors: "stats") { _ in
            try await self.store.stats(matching: filter, bucket: bucket, groupBy: groupBy, limit: limit)
        }
    }

    public func cursorSecret() async throws -> [UInt8] {
        try await self.measure("cursor_secret", errors: "query") { _ in try await self.store.cursorSecret() }
    }

    public func ping() async throws {
        try await self.measure("ping", errors: "health") { _ in try await self.store.ping() }
    }

    private func measure<Result: Sendable>(
        _ operation: String,
        errors: String,
        _ body: (any Span) async throws -> Result
    ) async throws -> Result {
        self.inUse.increment()
        defer { self.inUse.decrement() }
        return try await withSpan("store.\(operation)", ofKind: .client) { span in
            span.attributes["db.system"] = self.system
            span.attributes["db.operation"] = operation
            do {
                return try await body(span)
            } catch {
                self.errors[errors]?.increment()
                throw error
            }
        }
    }

    private func measure<Result: Sendable>(
        _ operation: String,
        errors: String,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await self.measure(operation, errors: errors) { (_: any Span) in try await body() }
    }
}
