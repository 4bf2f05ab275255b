import Foundation
import GRDB
import PubSubProtocol

extension PubSubStore {
    /// Leases up to `limit` deliverable messages: never pulled, nacked, or past their ack deadline.
    ///
    /// With message ordering enabled, only the oldest unacknowledged message of each ordering key is deliverable,
    /// so at most one message per key is outstanding.
    /// - Parameter ackDeadlineSeconds: the lease, when not the subscription's own (a stream sets its own).
    func pull(
        _ subscription: Subscription,
        limit: Int,
        nowMicros: Int64,
        ackDeadlineSeconds: Int? = nil
    ) async throws(PubSubError) -> [ReceivedMessage] {
        let name = subscription.name
        let deadlineSeconds = Int64(ackDeadlineSeconds ?? Int(subscription.ackDeadlineSeconds))
        let reportsAttempt = subscription.hasDeadLetterPolicy
        let ordered = subscription.enableMessageOrdering
        return try await self.run { db in
            try Self.requireSubscription(name, in: db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.message_seq, d.delivery_attempt, m.message_id, m.data, m.attributes, m.ordering_key, m.publish_time
                    FROM deliveries d JOIN messages m ON m.seq = d.message_seq
                    WHERE d.subscription = ? AND d.acked = 0 AND d.ack_deadline <= ?
                    AND (? = 0 OR m.ordering_key = '' OR NOT EXISTS (
                        SELECT 1 FROM deliveries e JOIN messages n ON n.seq = e.message_seq
                        WHERE e.subscription = d.subscription AND e.acked = 0 AND n.ordering_key = m.ordering_key
                        AND e.message_seq < d.message_seq))
                    ORDER BY d.message_seq LIMIT ?
                    """,
                arguments: [name, nowMicros, ordered, limit]
            )
            return try rows.map { row in
                let ackId = UUID().uuidString
                let attempt = (row["delivery_attempt"] as Int) + 1
                try db.execute(
                    sql: """
                        UPDATE deliveries SET ack_id = ?, ack_deadline = ?, delivery_attempt = ?
                        WHERE subscription = ? AND message_seq = ?
                        """,
                    arguments: [
                        ackId, nowMicros + deadlineSeconds * 1_000_000, attempt, name, row["message_seq"] as Int64,
                    ]
                )
                let attributes = MessageAttributes.decode(row["attributes"])
                return ReceivedMessage(
                    ackId: ackId,
                    messageId: row["message_id"],
                    data: row["data"],
                    attributes: attributes,
                    orderingKey: row["ordering_key"],
                    publishTimeMicros: row["publish_time"],
                    deliveryAttempt: attempt,
                    reportsDeliveryAttempt: reportsAttempt
                )
            }
        }
    }

    /// Settles leased messages. Unknown or superseded ack ids are ignored, as Pub/Sub does.
    func acknowledge(subscription name: String, ackIds: [String]) async throws(PubSubError) {
        try await self.run { db in
            try Self.requireSubscription(name, in: db)
            for ackId in ackIds {
                try db.execute(
                    sql: "UPDATE deliveries SET acked = 1 WHERE subscription = ? AND ack_id = ?",
                    arguments: [name, ackId]
                )
            }
        }
    }

    /// Moves the deadline of leased messages to `seconds` from now; 0 makes them deliverable at once (a nack).
    func modifyAckDeadline(
        subscription name: String,
        ackIds: [String],
        seconds: Int,
        nowMicros: Int64
    )
        async throws(PubSubError)
    {
        try await self.run { db in
            try Self.requireSubscription(name, in: db)
            for ackId in ackIds {
                try db.execute(
                    sql: "UPDATE deliveries SET ack_deadline = ? WHERE subscription = ? AND ack_id = ? AND acked = 0",
                    arguments: [nowMicros + Int64(seconds) * 1_000_000, name, ackId]
                )
            }
        }
    }

    /// The data sizes of those of `ackIds` still leased: not acknowledged, not nacked, not past their deadline.
    func leased(
        subscription name: String,
        ackIds: [String],
        nowMicros: Int64
    ) async throws(PubSubError) -> [String:
        Int]
    {
        guard !ackIds.isEmpty else { return [:] }
        return try await self.read { db in
            let marks = Array(repeating: "?", count: ackIds.count).joined(separator: ",")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.ack_id, length(m.data) AS size FROM deliveries d JOIN messages m ON m.seq = d.message_seq
                    WHERE d.subscription = ? AND d.acked = 0 AND d.ack_deadline > ? AND d.ack_id IN (\(marks))
                    """,
                arguments: StatementArguments([name, nowMicros] as [any DatabaseValueConvertible] + ackIds)
            )
            return Dictionary(
                rows.map { ($0["ack_id"] as String, ($0["size"] as Int?) ?? 0) },
                uniquingKeysWith: { a, _ in a }
            )
        }
    }
}
