import Foundation
import GRDB

extension PubSubStore {
    /// Creates the subscription; 409 when it exists, 404 when its topic or dead-letter topic is missing.
    func createSubscription(_ subscription: StoredSubscription, deadLetterTopic: String?) async throws(PubSubError) {
        try await self.run { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM subscriptions WHERE name = ?", arguments: [subscription.name]) == true {
                throw PubSubError.alreadyExists(subscription.name)
            }
            for topic in [subscription.topic] + (deadLetterTopic.map { [$0] } ?? []) {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM topics WHERE name = ?", arguments: [topic]) == true else {
                    throw PubSubError.notFound(topic)
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO subscriptions (name, project, topic, config, ack_deadline_seconds, dead_letter)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    subscription.name, subscription.project, subscription.topic,
                    String(decoding: subscription.config, as: UTF8.self), subscription.ackDeadlineSeconds,
                    subscription.deadLetter,
                ]
            )
        }
    }

    /// Replaces an existing subscription's settings (UpdateSubscription); 404 when it or its dead-letter topic is
    /// missing.
    func replaceSubscription(_ subscription: StoredSubscription, deadLetterTopic: String?) async throws(PubSubError) {
        try await self.run { db in
            if let deadLetterTopic,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM topics WHERE name = ?", arguments: [deadLetterTopic]) != true
            {
                throw PubSubError.notFound(deadLetterTopic)
            }
            try db.execute(
                sql: "UPDATE subscriptions SET config = ?, ack_deadline_seconds = ?, dead_letter = ? WHERE name = ?",
                arguments: [
                    String(decoding: subscription.config, as: UTF8.self), subscription.ackDeadlineSeconds,
                    subscription.deadLetter, subscription.name,
                ]
            )
            guard db.changesCount > 0 else { throw PubSubError.notFound(subscription.name) }
        }
    }

    func subscription(name: String) async throws(PubSubError) -> StoredSubscription? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM subscriptions WHERE name = ?", arguments: [name]).map(Self.subscription)
        }
    }

    func subscriptions(project: String, after: String?, limit: Int) async throws(PubSubError) -> [StoredSubscription] {
        try await self.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM subscriptions WHERE project = ? AND name > ? ORDER BY name LIMIT ?",
                arguments: [project, after ?? "", limit]
            ).map(Self.subscription)
        }
    }

    func deleteSubscription(name: String) async throws(PubSubError) {
        try await self.run { db in
            try db.execute(sql: "DELETE FROM subscriptions WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { throw PubSubError.notFound(name) }
            try db.execute(sql: "DELETE FROM deliveries WHERE subscription = ?", arguments: [name])
        }
    }

    /// Replaces the stored configuration (used by ModifyPushConfig).
    func updateSubscriptionConfig(name: String, config: Data) async throws(PubSubError) {
        try await self.run { db in
            try db.execute(
                sql: "UPDATE subscriptions SET config = ? WHERE name = ?",
                arguments: [String(decoding: config, as: UTF8.self), name]
            )
            guard db.changesCount > 0 else { throw PubSubError.notFound(name) }
        }
    }

    private static func subscription(_ row: Row) -> StoredSubscription {
        StoredSubscription(
            name: row["name"], project: row["project"], topic: row["topic"], config: Data((row["config"] as String).utf8),
            ackDeadlineSeconds: row["ack_deadline_seconds"], deadLetter: row["dead_letter"]
        )
    }
}
