import Logging
import PostgresNIO
import RecordStore

/// The schema, version by version. A released migration never changes; upgrades add a new one.
///
/// Each version is applied in its own transaction holding a transaction-scoped advisory lock, so processes that
/// start together apply each version once, one after the other. Applied versions are listed in
/// `contrail_schema_migrations`.
enum PostgresMigrations {
    static let latest = 2

    /// The advisory lock every migrating process takes: "contrail" in ASCII.
    static let lockKey: Int64 = 7_165_066_978_583_996_780

    static func apply(upTo version: Int, on connection: PostgresConnection, logger: Logger) async throws {
        guard (1...Self.latest).contains(version) else {
            throw StoreError(
                .invalidConfiguration,
                "there is no schema version \(version); the latest is \(Self.latest)"
            )
        }
        for step in 1...version {
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.run("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
                try await connection.run(
                    """
                    CREATE TABLE IF NOT EXISTS contrail_schema_migrations
                    (version INTEGER PRIMARY KEY, applied_at BIGINT)
                    """,
                    logger: logger
                )
                let applied = try await connection.query(
                    "SELECT version FROM contrail_schema_migrations WHERE version = \(step)",
                    logger: logger
                )
                var isApplied = false
                for try await _ in applied { isApplied = true }
                guard !isApplied else { return }
                for statement in Self.statements(for: step) {
                    try await connection.run(statement, logger: logger)
                }
                try await connection.run(
                    """
                    INSERT INTO contrail_schema_migrations (version, applied_at)
                    VALUES (\(step), (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
                    """,
                    logger: logger
                )
                logger.info("Applied schema migration", metadata: ["store.schema.version": "\(step)"])
            }
        }
    }

    /// Text columns that take part in ordering or lookups compare bytewise (`COLLATE "C"`), as SQLite does, so
    /// every adapter lists in the same order whatever the database's locale.
    static func statements(for version: Int) -> [PostgresQuery] {
        switch version {
        case 1:
            var generator = SystemRandomNumberGenerator()
            let secret = ByteBuffer(bytes: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            return [
                """
                CREATE TABLE records (
                    subscription TEXT COLLATE "C" NOT NULL,
                    message_id TEXT COLLATE "C" NOT NULL,
                    topic TEXT,
                    publish_time BIGINT NOT NULL,
                    received_at BIGINT NOT NULL,
                    ordering_key TEXT COLLATE "C",
                    delivery_attempt INTEGER,
                    attributes JSONB NOT NULL,
                    data BYTEA NOT NULL,
                    data_json JSONB,
                    PRIMARY KEY (subscription, message_id)
                )
                """,
                "CREATE INDEX records_by_time ON records (publish_time DESC, message_id DESC, subscription DESC)",
                "CREATE INDEX records_by_message_id ON records (message_id)",
                "CREATE TABLE contrail_settings (name TEXT PRIMARY KEY, value BYTEA NOT NULL)",
                """
                INSERT INTO contrail_settings (name, value) VALUES ('cursor_secret', \(secret))
                ON CONFLICT (name) DO NOTHING
                """,
            ]
        case 2:
            return [
                """
                CREATE TABLE record_attributes (
                    subscription TEXT COLLATE "C" NOT NULL,
                    message_id TEXT COLLATE "C" NOT NULL,
                    key TEXT COLLATE "C" NOT NULL,
                    value TEXT COLLATE "C" NOT NULL,
                    publish_time BIGINT NOT NULL,
                    PRIMARY KEY (subscription, message_id, key)
                )
                """,
                """
                INSERT INTO record_attributes (subscription, message_id, key, value, publish_time)
                SELECT r.subscription, r.message_id, a.key, a.value, r.publish_time
                FROM records r CROSS JOIN LATERAL jsonb_each_text(r.attributes) AS a(key, value)
                WHERE a.value IS NOT NULL
                """,
                """
                CREATE INDEX record_attributes_lookup
                ON record_attributes (key, value, publish_time DESC, message_id DESC, subscription DESC)
                """,
                "CREATE INDEX records_by_subscription ON records (subscription, publish_time DESC, message_id DESC)",
                """
                CREATE INDEX records_by_ordering_key
                ON records (ordering_key, publish_time DESC, message_id DESC, subscription DESC)
                """,
            ]
        default:
            return []
        }
    }
}

extension PostgresConnection {
    /// Runs a statement and reads its rows to the end.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
