import ContrailKit
import Foundation
import Logging
import PostgresNIO
import RecordStore
import RecordStorePostgres
import RecordStoreSQLite
import Testing

import class GRDB.DatabaseQueue

/// What the conformance suite needs of a store beyond ``RecordStore``: the package-level test seams.
protocol ConformingStore: RecordStore {
    func migrate(upTo version: Int) async throws
    func explain(_ shape: QueryShape) async throws -> String
}

extension SQLiteRecordStore: ConformingStore {}
extension PostgresRecordStore: ConformingStore {}

/// Each adapter the conformance suite runs against.
enum StoreKind: String, Sendable, CustomTestStringConvertible {
    /// A ``SQLiteRecordStore`` on a temporary file.
    case sqlite
    /// A ``PostgresRecordStore`` on a fresh database of the server `CONTRAIL_TEST_POSTGRES_URL` names.
    case postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CONTRAIL_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// PostgreSQL only when the test command has a server (`scripts/test.sh` always does).
    static var enabled: [StoreKind] { Self.postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// Runs `body` with a store of this kind on a database of its own, removed afterwards.
    /// - Parameter migrated: whether the store's schema is created first.
    func withStore(
        migrated: Bool = true,
        _ body: (any ConformingStore, TestDatabase) async throws -> Void
    ) async throws {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("record-store-\(UUID().uuidString).sqlite").path
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            try await TestDatabase(kind: self, location: .sqlite(path: path)).open(migrated: migrated, body)
        case .postgres:
            try await TestPostgres.withFreshDatabase { url in
                try await TestDatabase(kind: self, location: .postgres(url)).open(migrated: migrated, body)
            }
        }
    }
}

/// One test's database, and ways to open stores on it.
struct TestDatabase: Sendable {
    enum Location: Sendable {
        case sqlite(path: String)
        case postgres(PostgresURL)
    }

    let kind: StoreKind
    let location: Location

    fileprivate func open(
        migrated: Bool,
        _ body: (any ConformingStore, TestDatabase) async throws -> Void
    ) async throws {
        try await self.withStore { store in
            if migrated { try await store.migrate() }
            try await body(store, self)
        }
    }

    /// Opens another store on this database (for PostgreSQL, with its pool running) for the length of `body`.
    func withStore(_ body: (any ConformingStore) async throws -> Void) async throws {
        switch self.location {
        case .sqlite(let path):
            try await body(try SQLiteRecordStore(path: path))
        case .postgres(let url):
            let store = PostgresRecordStore(url: url, logger: TestPostgres.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.run() }
                defer { group.cancelAll() }
                try await body(store)
            }
        }
    }

    /// Writes rows as schema version 1 had them (attributes only in the JSON column), as an older release did.
    func insertAsVersion1(_ records: [Record]) async throws {
        switch self.location {
        case .sqlite(let path):
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                for record in records {
                    try db.execute(
                        sql: """
                            INSERT INTO records (subscription, message_id, topic, publish_time, received_at,
                                ordering_key, delivery_attempt, attributes, data, data_json)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            record.subscription, record.messageId, record.topic,
                            record.publishTime.microsecondsSinceEpoch,
                            record.receivedAt.microsecondsSinceEpoch, record.orderingKey, record.deliveryAttempt,
                            try jsonObject(record.attributes), Data(record.data), record.dataJSON,
                        ]
                    )
                }
            }
            try queue.close()
        case .postgres(let url):
            try await TestPostgres.withConnection(to: url) { connection in
                for record in records {
                    let attempt = record.deliveryAttempt.map { Int32($0) }
                    _ = try await connection.query(
                        """
                        INSERT INTO records (subscription, message_id, topic, publish_time, received_at,
                            ordering_key, delivery_attempt, attributes, data, data_json)
                        VALUES (\(record.subscription), \(record.messageId), \(record.topic), \(record.publishTime.microsecondsSinceEpoch),
                            \(record.receivedAt.microsecondsSinceEpoch), \(record.orderingKey), \(attempt),
                            \(try jsonObject(record.attributes))::jsonb, \(ByteBuffer(bytes: record.data)),
                            \(record.dataJSON)::jsonb)
                        """,
                        logger: TestPostgres.logger
                    ).collect()
                }
            }
        }
    }
}

private func jsonObject(_ attributes: [String: String]) throws -> String {
    String(decoding: try JSONEncoder().encode(attributes), as: UTF8.self)
}

/// The server the test command started, and fresh databases on it.
enum TestPostgres {
    static let logger = Logger(label: "record-store-tests") { _ in SwiftLogNoOpLogHandler() }

    static func serverURL() throws -> PostgresURL {
        let text = try #require(StoreKind.postgresURL, "CONTRAIL_TEST_POSTGRES_URL is not set")
        return try PostgresURL(text)
    }

    /// Creates `t_<random>` on the server, runs `body` with its URL, then drops it.
    ///
    /// The database sorts text linguistically (ICU's en-US) when the server can, as Cloud SQL's `en_US.UTF8`
    /// databases do, so that an adapter relying on the database's collation for its bytewise order fails here.
    static func withFreshDatabase(_ body: (PostgresURL) async throws -> Void) async throws {
        let server = try Self.serverURL()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await Self.withConnection(to: server) { admin in
            do {
                _ = try await admin.query(
                    """
                    CREATE DATABASE \(unescaped: name)
                    TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'
                    """,
                    logger: Self.logger
                ).collect()
            } catch {
                _ = try await admin.query("CREATE DATABASE \(unescaped: name)", logger: Self.logger).collect()
            }
            var url = server
            url.database = name
            var failure: (any Error)?
            do { try await body(url) } catch { failure = error }
            _ = try await admin.query("DROP DATABASE \(unescaped: name) WITH (FORCE)", logger: Self.logger).collect()
            if let failure { throw failure }
        }
    }

    /// One connection outside any store; driver errors come out with PostgreSQL's own message.
    static func withConnection<T>(
        to url: PostgresURL,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: url.connectionConfiguration(),
                id: 1,
                logger: Self.logger
            )
            do {
                let result = try await body(connection)
                try await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as PSQLError {
            throw TestPostgresError(description: String(reflecting: error))
        }
    }
}

struct TestPostgresError: Error, CustomStringConvertible {
    let description: String
}
