import CoreMetrics
import Metrics

/// What ingest counts: rows stored, redeliveries skipped, which attempt delivered a message, and how long after
/// its publication a message became queryable.
struct IngestMetrics: Sendable {
    static let storedName = "contrail_ingest_messages_stored_total"
    static let duplicatesName = "contrail_ingest_duplicates_total"
    static let attemptName = "contrail_ingest_delivery_attempt"
    static let lagName = "contrail_ingest_lag_seconds"

    static let valueBuckets: [String: [Double]] = [
        attemptName: [1, 2, 3, 5, 10, 20, 50, 100],
        // Freshness objectives are in seconds to minutes; an hour marks a backlog drained after an outage.
        lagName: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
    ]

    let stored = Counter(label: Self.storedName)
    let duplicates = Counter(label: Self.duplicatesName)
    let attempt = Recorder(label: Self.attemptName)
    let lag = Recorder(label: Self.lagName)

    /// - Parameters:
    ///   - lagMicros: commit time minus publish time; `nil` when the message had no publish time.
    func record(isNew: Bool, deliveryAttempt: Int?, lagMicros: Int64?) {
        // A push without a dead-letter policy carries no attempt count; it is the first as far as anyone knows.
        self.attempt.record(deliveryAttempt ?? 1)
        guard isNew else {
            self.duplicates.increment()
            return
        }
        self.stored.increment()
        // Only the commit that made a message queryable measures its freshness; a redelivery says nothing new.
        if let lagMicros { self.lag.record(Double(max(0, lagMicros)) / 1_000_000) }
    }
}
