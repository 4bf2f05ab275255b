import Foundation
import GRDB

extension PubSubStore {
    /// Stores the messages with ids from the service's sequence and fans each out to every current subscription.
    func publish(topic: String, messages: [OutgoingMessage], nowMicros: Int64) async throws(PubSubError) -> [String] {
        try await self.run { db in try Self.publish(topic: topic, messages: messages, nowMicros: nowMicros, in: db) }
    }

    /// The publish itself, inside a transaction the caller holds.
    static func publish(
        topic: String,
        messages: [OutgoingMessage],
        nowMicros: Int64,
        in db: Database
    ) throws -> [String] {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM topics WHERE name = ?", arguments: [topic]) == true else {
            throw PubSubError.notFound(topic)
        }
        let subscriptions = try String.fetchAll(
            db,
            sql: "SELECT name FROM subscriptions WHERE topic = ?",
            arguments: [topic]
        )
        let ids = try MessageIds.next(messages.count, nowMicros: nowMicros, in: db)
        for (id, message) in zip(ids, messages) {
            let attributes = MessageAttributes.encode(message.attributes)
            try db.execute(
                sql: """
                    INSERT INTO messages (topic, message_id, data, attributes, ordering_key, publish_time)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [topic, id, message.data, attributes, message.orderingKey, nowMicros]
            )
            let seq = db.lastInsertedRowID
            for subscription in subscriptions {
                try db.execute(
                    sql: "INSERT INTO deliveries (subscription, message_seq) VALUES (?, ?)",
                    arguments: [subscription, seq]
                )
            }
        }
        return ids
    }
}
