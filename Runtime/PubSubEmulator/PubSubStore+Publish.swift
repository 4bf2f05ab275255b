import Foundation
import GRDB

extension PubSubStore {
    /// Stores the messages with ids from the topic's counter and fans each out to every current subscription.
    func publish(topic: String, messages: [OutgoingMessage], nowMicros: Int64) async throws(PubSubError) -> [String] {
        try await self.run { db in
            guard let next = try Int64.fetchOne(db, sql: "SELECT next_message_id FROM topics WHERE name = ?", arguments: [topic])
            else { throw PubSubError.notFound(topic) }
            let subscriptions = try String.fetchAll(db, sql: "SELECT name FROM subscriptions WHERE topic = ?", arguments: [topic])
            var ids: [String] = []
            for (offset, message) in messages.enumerated() {
                let id = String(next + Int64(offset))
                let attributes = JSONObject.encode(message.attributes)
                try db.execute(
                    sql: """
                        INSERT INTO messages (topic, message_id, data, attributes, ordering_key, publish_time)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [topic, id, message.data, String(decoding: attributes, as: UTF8.self), message.orderingKey, nowMicros]
                )
                let seq = db.lastInsertedRowID
                for subscription in subscriptions {
                    try db.execute(
                        sql: "INSERT INTO deliveries (subscription, message_seq) VALUES (?, ?)", arguments: [subscription, seq]
                    )
                }
                ids.append(id)
            }
            try db.execute(
                sql: "UPDATE topics SET next_message_id = ? WHERE name = ?", arguments: [next + Int64(messages.count), topic]
            )
            return ids
        }
    }
}
