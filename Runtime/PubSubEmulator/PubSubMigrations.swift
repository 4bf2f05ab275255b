package import GRDB

/// The emulator's schema. A released migration never changes; upgrades add a new one.
package enum PubSubMigrations {
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE topics (
                        name TEXT PRIMARY KEY,
                        project TEXT NOT NULL,
                        config TEXT NOT NULL,
                        next_message_id INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX topics_by_project ON topics (project, name);
                    CREATE TABLE subscriptions (
                        name TEXT PRIMARY KEY,
                        project TEXT NOT NULL,
                        topic TEXT NOT NULL,
                        config TEXT NOT NULL,
                        ack_deadline_seconds INTEGER NOT NULL,
                        dead_letter INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX subscriptions_by_project ON subscriptions (project, name);
                    CREATE INDEX subscriptions_by_topic ON subscriptions (topic, name);
                    CREATE TABLE messages (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        topic TEXT NOT NULL,
                        message_id TEXT NOT NULL,
                        data BLOB NOT NULL,
                        attributes TEXT NOT NULL,
                        ordering_key TEXT NOT NULL DEFAULT '',
                        publish_time INTEGER NOT NULL
                    );
                    CREATE TABLE deliveries (
                        subscription TEXT NOT NULL,
                        message_seq INTEGER NOT NULL REFERENCES messages (seq),
                        ack_id TEXT,
                        ack_deadline INTEGER NOT NULL DEFAULT 0,
                        delivery_attempt INTEGER NOT NULL DEFAULT 0,
                        acked INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (subscription, message_seq)
                    ) WITHOUT ROWID;
                    CREATE INDEX deliveries_pending ON deliveries (subscription, acked, ack_deadline, message_seq);
                    CREATE INDEX deliveries_by_ack_id ON deliveries (ack_id);
                    """
            )
        }
        // Ids come from one sequence for the whole service (``MessageIds``); `topics.next_message_id` is no longer
        // read. The sequence starts above every id the per-topic counters handed out that is still around.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    CREATE TABLE message_ids (
                        one INTEGER PRIMARY KEY CHECK (one = 1),
                        last_message_id INTEGER NOT NULL
                    );
                    INSERT INTO message_ids (one, last_message_id) VALUES (1, MAX(
                        COALESCE((SELECT MAX(CAST(message_id AS INTEGER)) FROM messages), 0),
                        COALESCE((SELECT MAX(next_message_id) - 1 FROM topics), 0)
                    ));
                    """
            )
        }
        return migrator
    }
}
