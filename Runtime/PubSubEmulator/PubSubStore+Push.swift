import Foundation
import GRDB

extension PubSubStore {
    /// Every subscription whose configuration has a `pushConfig.pushEndpoint`.
    func pushSubscriptions() async throws(PubSubError) -> [StoredSubscription] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM subscriptions ORDER BY name").compactMap { row in
                let config = Data((row["config"] as String).utf8)
                let push = JSONObject.decode(config)["pushConfig"] as? [String: Any]
                guard let endpoint = push?["pushEndpoint"] as? String, !endpoint.isEmpty else { return nil }
                return StoredSubscription(
                    name: row["name"], project: row["project"], topic: row["topic"], config: config,
                    ackDeadlineSeconds: row["ack_deadline_seconds"], deadLetter: row["dead_letter"]
                )
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
