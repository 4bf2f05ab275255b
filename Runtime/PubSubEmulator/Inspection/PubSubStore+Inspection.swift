import ContrailKit
import Foundation
import GRDB

extension PubSubStore {
    /// Up to `limit` messages the subscriptions hold unacknowledged after `position`, in publish order: a peek,
    /// which leases nothing and leaves every delivery as it was.
    func held(
        subscriptions names: [String],
        after position: Int64,
        limit: Int
    ) async throws(PubSubError) -> [HeldMessage] {
        guard !names.isEmpty else { return [] }
        return try await self.read { db in
            let marks = Array(repeating: "?", count: names.count).joined(separator: ",")
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT d.subscription, d.message_seq, d.delivery_attempt, m.message_id, m.data, m.attributes,
                        m.ordering_key, m.publish_time
                    FROM deliveries d JOIN messages m ON m.seq = d.message_seq
                    WHERE d.subscription IN (\(marks)) AND d.acked = 0 AND d.message_seq > ?
                    ORDER BY d.message_seq, d.subscription LIMIT ?
                    """,
                arguments: StatementArguments(names + [position, limit] as [any DatabaseValueConvertible])
            ).map { row in
                HeldMessage(
                    subscription: row["subscription"],
                    position: row["message_seq"],
                    messageID: row["message_id"],
                    data: row["data"],
                    attributes: MessageAttributes.decode(row["attributes"]),
                    orderingKey: row["ordering_key"],
                    publishTime: Timestamp(microsecondsSinceEpoch: row["publish_time"]),
                    deliveryAttempts: row["delivery_attempt"]
                )
            }
        }
    }

    /// Settles a held message with no delivery: what purging a dead letter is.
    func discard(subscription name: String, messageID: String) async throws(PubSubError) {
        try await self.run { db in
            _ = try Self.heldPosition(subscription: name, messageID: messageID, in: db)
            try Self.settle(subscription: name, messageID: messageID, in: db)
        }
    }

    /// In one transaction: publishes a held message again to `topic` with `attributes`, and settles it where it
    /// was held, so that it is neither lost nor sent twice. Returns the new message id.
    func republish(
        subscription name: String,
        messageID: String,
        attributes: @Sendable @escaping ([String: String]) throws -> (topic: String, attributes: [String: String]),
        nowMicros: Int64
    ) async throws(PubSubError) -> String {
        try await self.run { db in
            let seq = try Self.heldPosition(subscription: name, messageID: messageID, in: db)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM messages WHERE seq = ?", arguments: [seq]) else {
                throw PubSubError.notFound(messageID)
            }
            let target = try attributes(MessageAttributes.decode(row["attributes"]))
            let message = OutgoingMessage(
                data: row["data"],
                attributes: target.attributes,
                orderingKey: row["ordering_key"]
            )
            let ids = try Self.publish(topic: target.topic, messages: [message], nowMicros: nowMicros, in: db)
            try Self.settle(subscription: name, messageID: messageID, in: db)
            return ids[0]
        }
    }

    /// Makes every unacknowledged message of the subscription that is waiting, for a retry backoff or an expired
    /// lease, deliverable now, except those leased by `inFlight` (being pushed right now). Returns how many.
    func makeDue(
        subscription name: String,
        except inFlight: Set<String>,
        nowMicros: Int64
    ) async throws(PubSubError) -> Int {
        try await self.run { db in
            try Self.requireSubscription(name, in: db)
            let waiting = try Row.fetchAll(
                db,
                sql: """
                    SELECT message_seq, ack_id FROM deliveries
                    WHERE subscription = ? AND acked = 0 AND ack_deadline > ?
                    """,
                arguments: [name, nowMicros]
            ).filter { row in (row["ack_id"] as String?).map { !inFlight.contains($0) } ?? true }
            for row in waiting {
                try db.execute(
                    sql: "UPDATE deliveries SET ack_deadline = 0 WHERE subscription = ? AND message_seq = ?",
                    arguments: [name, row["message_seq"] as Int64]
                )
            }
            return waiting.count
        }
    }

    private static func heldPosition(subscription name: String, messageID: String, in db: Database) throws -> Int64 {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT d.message_seq, d.acked FROM deliveries d JOIN messages m ON m.seq = d.message_seq
                    WHERE d.subscription = ? AND m.message_id = ?
                    """,
                arguments: [name, messageID]
            )
        else {
            throw PubSubError.notFound("\(name)/messages/\(messageID)")
        }
        guard row["acked"] as Int == 0 else {
            throw PubSubError.failedPrecondition(
                "Message \(messageID) is no longer held by \(name): it was already acknowledged, redriven or purged."
            )
        }
        return row["message_seq"]
    }

    private static func settle(subscription name: String, messageID: String, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE deliveries SET acked = 1 WHERE subscription = ?
                AND message_seq IN (SELECT seq FROM messages WHERE message_id = ?)
                """,
            arguments: [name, messageID]
        )
    }
}
