import Foundation
import GRDB

extension PubSubStore {
    func createTopic(name: String, project: String, config: Data) async throws(PubSubError) {
        try await self.run { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM topics WHERE name = ?", arguments: [name]) == true {
                throw PubSubError.alreadyExists(name)
            }
            try db.execute(
                sql: "INSERT INTO topics (name, project, config) VALUES (?, ?, ?)",
                arguments: [name, project, String(decoding: config, as: UTF8.self)]
            )
        }
    }

    func updateTopicConfig(name: String, config: Data) async throws(PubSubError) {
        try await self.run { db in
            try db.execute(
                sql: "UPDATE topics SET config = ? WHERE name = ?", arguments: [String(decoding: config, as: UTF8.self), name]
            )
            guard db.changesCount > 0 else { throw PubSubError.notFound(name) }
        }
    }

    func topicConfig(name: String) async throws(PubSubError) -> Data? {
        try await self.read { db in
            try String.fetchOne(db, sql: "SELECT config FROM topics WHERE name = ?", arguments: [name]).map { Data($0.utf8) }
        }
    }

    /// Deletes the topic; its subscriptions stay, pointing at `_deleted-topic_`.
    func deleteTopic(name: String) async throws(PubSubError) {
        try await self.run { db in
            try db.execute(sql: "DELETE FROM topics WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { throw PubSubError.notFound(name) }
            try db.execute(
                sql: "UPDATE subscriptions SET topic = ? WHERE topic = ?", arguments: [ResourceName.deletedTopic, name]
            )
        }
    }

    /// Topics of a project in name order, starting after `after`.
    func topics(project: String, after: String?, limit: Int) async throws(PubSubError) -> [(name: String, config: Data)] {
        let rows = try await self.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT name, config FROM topics WHERE project = ? AND name > ? ORDER BY name LIMIT ?",
                arguments: [project, after ?? "", limit]
            ).map { (row: Row) -> [String] in [row["name"], row["config"]] }
        }
        return rows.map { (name: $0[0], config: Data($0[1].utf8)) }
    }

    func topicSubscriptions(topic: String) async throws(PubSubError) -> [String]? {
        try await self.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM topics WHERE name = ?", arguments: [topic]) == true else {
                return nil
            }
            return try String.fetchAll(db, sql: "SELECT name FROM subscriptions WHERE topic = ? ORDER BY name", arguments: [topic])
        }
    }
}
