import Foundation
import GRDB
import PubSubProtocol

typealias Topic = Google_Pubsub_V1_Topic

extension PubSubStore {
    func createTopic(_ topic: Topic, project: String) async throws(PubSubError) {
        try await self.run { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM topics WHERE name = ?", arguments: [topic.name]) == true {
                throw PubSubError.alreadyExists(topic.name)
            }
            try db.execute(
                sql: "INSERT INTO topics (name, project, config) VALUES (?, ?, ?)",
                arguments: [topic.name, project, ResourceJSON.encode(topic)]
            )
        }
    }

    func replaceTopic(_ topic: Topic) async throws(PubSubError) {
        try await self.run { db in
            try db.execute(
                sql: "UPDATE topics SET config = ? WHERE name = ?",
                arguments: [ResourceJSON.encode(topic), topic.name]
            )
            guard db.changesCount > 0 else { throw PubSubError.notFound(topic.name) }
        }
    }

    func topic(name: String) async throws(PubSubError) -> Topic? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT name, config FROM topics WHERE name = ?", arguments: [name]).map(
                Self.topic
            )
        }
    }

    /// Deletes the topic; its subscriptions stay, pointing at `_deleted-topic_`.
    func deleteTopic(name: String) async throws(PubSubError) {
        try await self.run { db in
            try db.execute(sql: "DELETE FROM topics WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { throw PubSubError.notFound(name) }
            try db.execute(
                sql: "UPDATE subscriptions SET topic = ? WHERE topic = ?",
                arguments: [ResourceName.deletedTopic, name]
            )
        }
    }

    /// Topics of a project in name order, starting after `after`.
    func topics(project: String, after: String?, limit: Int) async throws(PubSubError) -> [Topic] {
        try await self.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT name, config FROM topics WHERE project = ? AND name > ? ORDER BY name LIMIT ?",
                arguments: [project, after ?? "", limit]
            ).map(Self.topic)
        }
    }

    func topicSubscriptions(topic: String) async throws(PubSubError) -> [String]? {
        try await self.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM topics WHERE name = ?", arguments: [topic]) == true else {
                return nil
            }
            return try String.fetchAll(
                db,
                sql: "SELECT name FROM subscriptions WHERE topic = ? ORDER BY name",
                arguments: [topic]
            )
        }
    }

    private static func topic(_ row: Row) -> Topic {
        var topic = ResourceJSON.decode(row["config"], as: Topic.self)
        topic.name = row["name"]
        return topic
    }
}
