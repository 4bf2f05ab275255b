import Foundation
import GRDB

/// The schema, version by version. A released migration never changes; upgrades add a new one.
enum SQLiteMigrations {
    static func name(_ version: Int) -> String { "v\(version)" }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(name(1)) { db in
            try db.execute(
                sql: """
                    CREATE TABLE records (
                        subscription TEXT NOT NULL,
                        message_id TEXT NOT NULL,
                        topic TEXT,
                        publish_time INTEGER NOT NULL,
                        received_at INTEGER NOT NULL,
                        ordering_key TEXT,
                        delivery_attempt INTEGER,
                        attributes TEXT NOT NULL,
                        data BLOB NOT NULL,
                        data_json TEXT,
                        PRIMARY KEY (subscription, message_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX records_by_time ON records (publish_time DESC, message_id DESC, subscription DESC);
                    CREATE INDEX records_by_message_id ON records (message_id);
                    CREATE TABLE contrail_settings (name TEXT PRIMARY KEY, value BLOB NOT NULL);
                    """
            )
            var secret = [UInt8](repeating: 0, count: 32)
            var generator = SystemRandomNumberGenerator()
            for index in secret.indices { secret[index] = generator.next() }
            try db.execute(
                sql: "INSERT INTO contrail_settings (name, value) VALUES ('cursor_secret', ?) ON CONFLICT DO NOTHING",
                arguments: [Data(secret)]
            )
        }
        migrator.registerMigration(name(2)) { db in
            try db.execute(
                sql: """
                    CREATE TABLE record_attributes (
                        subscription TEXT NOT NULL,
                        message_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        publish_time INTEGER NOT NULL,
                        PRIMARY KEY (subscription, message_id, key)
                    ) WITHOUT ROWID;
                    INSERT INTO record_attributes (subscription, message_id, key, value, publish_time)
                        SELECT r.subscription, r.message_id, a.key, a.value, r.publish_time
                        FROM records r, json_each(r.attributes) a;
                    CREATE INDEX record_attributes_lookup
                        ON record_attributes (key, value, publish_time DESC, message_id DESC, subscription DESC);
                    CREATE INDEX records_by_subscription ON records (subscription, publish_time DESC, message_id DESC);
                    CREATE INDEX records_by_ordering_key
                        ON records (ordering_key, publish_time DESC, message_id DESC, subscription DESC);
                    """
            )
        }
        return migrator
    }
}
