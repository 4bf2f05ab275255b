import Foundation
import GRDB
import PubSubProtocol

typealias Subscription = Google_Pubsub_V1_Subscription

extension PubSubStore {
    /// Creates the subscription; 409 when it exists, 404 when its topic or dead-letter topic is missing.
    func createSubscription(_ subscription: Subscription, project: String) async throws(PubSubError) {
        try await self.run { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM subscriptions WHERE name = ?", arguments: [subscription.name])
                == true
            {
                throw PubSubError.alreadyExists(subscription.name)
            }
            for topic in [subscription.topic] + Self.deadLetterTopic(of: subscription) {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM topics WHERE name = ?", arguments: [topic]) == true
                else {
                    throw PubSubError.notFound(topic)
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO subscriptions (name, project, topic, config, ack_deadline_seconds, dead_letter)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    subscription.name, project, subscription.topic, ResourceJSON.encode(subscription),
                    subscription.ackDeadlineSeconds, subscription.hasDeadLetterPolicy,
                ]
            )
        }
    }

    /// Replaces an existing subscription's settings (UpdateSubscription, ModifyPushConfig); 404 when it or its
    /// dead-letter topic is missing. Its topic stays.
    func replaceSubscription(_ subscription: Subscription) async throws(PubSubError) {
        try await self.run { db in
            for topic in Self.deadLetterTopic(of: subscription) {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM topics WHERE name = ?", arguments: [topic]) == true
                else {
                    throw PubSubError.notFound(topic)
                }
            }
            try db.execute(
                sql: "UPDATE subscriptions SET config = ?, ack_deadline_seconds = ?, dead_letter = ? WHERE name = ?",
                arguments: [
                    ResourceJSON.encode(subscription), subscription.ackDeadlineSeconds,
                    subscription.hasDeadLetterPolicy,
                    subscription.name,
                ]
            )
            guard db.changesCount > 0 else { throw PubSubError.notFound(subscription.name) }
        }
    }

    func subscription(name: String) async throws(PubSubError) -> Subscription? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM subscriptions WHERE name = ?", arguments: [name])
                .map(Self.subscription)
        }
    }

    func subscriptions(project: String, after: String?, limit: Int) async throws(PubSubError) -> [Subscription] {
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

    /// The one place a stored row becomes a subscription: its columns name it and its topic.
    static func subscription(_ row: Row) -> Subscription {
        var subscription = ResourceJSON.decode(row["config"], as: Subscription.self)
        subscription.name = row["name"]
        subscription.topic = row["topic"]
        return subscription
    }

    private static func deadLetterTopic(of subscription: Subscription) -> [String] {
        subscription.hasDeadLetterPolicy ? [subscription.deadLetterPolicy.deadLetterTopic] : []
    }
}
