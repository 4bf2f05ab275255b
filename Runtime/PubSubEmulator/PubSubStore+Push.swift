import Foundation
import GRDB
import PubSubProtocol

extension PubSubStore {
    /// Every subscription with a `pushConfig.pushEndpoint`.
    func pushSubscriptions() async throws(PubSubError) -> [Subscription] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM subscriptions ORDER BY name").map(Self.subscription).filter {
                !$0.pushConfig.pushEndpoint.isEmpty
            }
        }
    }

    /// Makes a leased message deliverable again at `dueMicros` (a nack with backoff).
    func release(subscription name: String, ackId: String, dueMicros: Int64) async throws(PubSubError) {
        try await self.run { db in
            try db.execute(
                sql: "UPDATE deliveries SET ack_deadline = ? WHERE subscription = ? AND ack_id = ? AND acked = 0",
                arguments: [dueMicros, name, ackId]
            )
        }
    }
}

extension PubSubStore {
    /// Per subscription: unacknowledged messages and the publish time of the oldest (nil when there are none).
    func backlog() async throws(PubSubError) -> [(subscription: String, messages: Int, oldestPublishMicros: Int64?)] {
        try await self.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.name AS name, COUNT(m.seq) AS messages, MIN(m.publish_time) AS oldest
                    FROM subscriptions s
                    LEFT JOIN deliveries d ON d.subscription = s.name AND d.acked = 0
                    LEFT JOIN messages m ON m.seq = d.message_seq
                    GROUP BY s.name ORDER BY s.name
                    """
            ).map { row in (row["name"], row["messages"], row["oldest"]) }
        }
    }
}

extension PubSubStore {
    /// The messages `subscription` (a full name) holds and has not had acknowledged, leased or not.
    func unacknowledgedCount(subscription name: String) async throws(PubSubError) -> Int {
        try await self.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(m.seq) FROM deliveries d JOIN messages m ON m.seq = d.message_seq
                    WHERE d.subscription = ? AND d.acked = 0
                    """,
                arguments: [name]
            ) ?? 0
        }
    }
}
