public import Logging
import PostgresNIO
public import RecordStore
public import ServiceLifecycle

/// The analytics store on PostgreSQL, through postgres-nio's connection pool.
///
/// The pool works only while ``run()`` runs: add the store to the `ServiceGroup` before anything that queries it.
/// ``migrate()`` uses a connection of its own, so it also works before the group starts. Commits use the server's
/// default `synchronous_commit = on`, so an inserted record is durable when ``insert(_:)`` returns.
public final class PostgresRecordStore: RecordStore, Service {
    let url: PostgresURL
    let client: PostgresClient
    let logger: Logger
    /// The pool's maximum number of connections.
    public let connectionLimit: Int

    /// - Parameters:
    ///   - url: `postgres://user:pass@host:port/db`, `postgresql://…`, or the unix-socket form
    ///     `postgres://user:pass@/db?host=/cloudsql/PROJECT:REGION:INSTANCE`; `?sslmode=require` requires TLS.
    ///   - logger: Where the store and the driver log.
    /// - Throws: ``StoreError`` with `.invalidConfiguration` when the URL is not usable, naming what is wrong.
    public convenience init(url: String, logger: Logger) throws(StoreError) {
        self.init(url: try PostgresURL(url), logger: logger)
    }

    package init(url: PostgresURL, logger: Logger) {
        self.url = url
        self.logger = logger
        self.connectionLimit = url.clientConfiguration.options.maximumConnections
        self.client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down gracefully.
    public func run() async {
        await self.client.run()
    }

    public func migrate() async throws {
        try await self.migrate(upTo: PostgresMigrations.latest)
    }

    /// Applies the migrations up to and including `version` only, to build an older schema in tests.
    package func migrate(upTo version: Int) async throws {
        try await self.translatingErrors("the schema migration") {
            let connection = try await PostgresConnection.connect(
                configuration: self.url.connectionConfiguration(),
                id: 0,
                logger: self.logger
            )
            do {
                try await PostgresMigrations.apply(upTo: version, on: connection, logger: self.logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        }
    }

    public func cursorSecret() async throws -> [UInt8] {
        try await self.withConnection("reading the cursor secret") { connection in
            let rows = try await connection.query(
                "SELECT value FROM contrail_settings WHERE name = 'cursor_secret'",
                logger: self.logger
            )
            var secret: [UInt8]?
            for try await value in rows.decode(ByteBuffer.self) { secret = Array(value.readableBytesView) }
            guard let secret else {
                throw StoreError(.unexpected, "the store has no cursor secret; run the migrations first")
            }
            return secret
        }
    }

    /// Throws ``StoreError`` `.unavailable`, with the reason, when PostgreSQL cannot run `SELECT 1` now.
    public func ping() async throws {
        try await self.withConnection("a health check") { connection in
            try await connection.run("SELECT 1", logger: self.logger)
        }
    }
}
