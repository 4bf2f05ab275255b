import Foundation
import GRDB
public import RecordStore

/// The embedded analytics store: one SQLite file in WAL mode, on the system libsqlite3.
///
/// Commits use `synchronous = FULL`, so an acknowledged record survives a crash of the process and of the
/// machine. Readers never wait for the writer.
public final class SQLiteRecordStore: RecordStore {
    let writer: any DatabaseWriter
    private let changes: ChangeProbes?
    /// Connections for reads on the caller's thread; `nil` for a store in memory, which has one connection.
    private let callerReaders: ConnectionShelf<Void>?
    /// One writer and the pool's readers.
    public let connectionLimit: Int
    private let corruption: CorruptionLatch

    /// - Parameter path: a file path, or `:memory:` for a store that lives as long as this value.
    /// - Throws: ``StoreError`` when the file cannot be opened.
    public init(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        self.connectionLimit = path == ":memory:" ? 1 : 1 + configuration.maximumReaderCount
        self.corruption = CorruptionLatch(path: path)
        do {
            if path == ":memory:" {
                self.writer = try DatabaseQueue(configuration: configuration)
                self.changes = nil
                self.callerReaders = nil
            } else {
                self.writer = try DatabasePool(path: path, configuration: configuration)
                self.changes = ChangeProbes(path: path)
                self.callerReaders = ConnectionShelf(path: path, initialState: ())
            }
        } catch {
            throw StoreError(.unavailable, "cannot open the SQLite store at \(path): \(Self.describe(error))")
        }
    }

    public func migrate() async throws {
        try await self.run {
            // A current schema needs no write transaction, and its two fsyncs were a share of every cold start.
            if try self.writer.read({ try SQLiteMigrations.migrator.hasCompletedMigrations($0) }) { return }
            do {
                try SQLiteMigrations.migrator.migrate(self.writer)
            } catch is DatabaseError {
                // GRDB reads which migrations are applied before it takes the write lock, so a process migrating
                // the same file at the same moment can win the race; the second try sees its work as done.
                try SQLiteMigrations.migrator.migrate(self.writer)
            }
        }
    }

    /// Applies the migrations up to and including `version` only, to build an older schema in tests.
    package func migrate(upTo version: Int) async throws {
        try await self.run { try SQLiteMigrations.migrator.migrate(self.writer, upTo: SQLiteMigrations.name(version)) }
    }

    public func insert(_ records: [StoredRecord]) async throws -> [Bool] {
        try await self.run {
            try await self.writer.write { db in
                try records.map { try SQLiteStatements.insert($0, in: db) }
            }
        }
    }

    public func records(matching filter: RecordFilter, after position: RecordPosition?, budget: PageBudget) async throws
        -> RecordPage
    {
        try await self.run {
            try self.readBounded { db in
                let query = SQLiteStatements.list(filter, after: position, limit: budget.limit + 1)
                // Cached: the same few shapes of statement come back on every page, and parsing them is not free.
                let rows = try Row.fetchCursor(db.cachedStatement(sql: query.sql), arguments: query.arguments)
                var budget = budget
                var records: [StoredRecord] = []
                while let row = try rows.next() {
                    guard budget.take(size: SQLiteStatements.contentSize(row)) else {
                        return RecordPage(records: records, hasMore: true)
                    }
                    records.append(try SQLiteStatements.record(row))
                }
                return RecordPage(records: records, hasMore: false)
            }
        }
    }

    public func record(messageId: String, subscription: String?) async throws -> StoredRecord? {
        try await self.run {
            try self.readBounded { db in
                let query = SQLiteStatements.byID(messageId, subscription: subscription)
                return try Row.fetchOne(db.cachedStatement(sql: query.sql), arguments: query.arguments)
                    .map(SQLiteStatements.record)
            }
        }
    }

    public func stats(matching filter: RecordFilter, bucket: StatsBucket, groupBy: String?, limit: Int) async throws
        -> [StatsRow]
    {
        try await self.run {
            try await self.writer.read { db in
                let query = SQLiteStatements.stats(filter, bucket: bucket, groupBy: groupBy, limit: limit)
                return try Row.fetchAll(db, sql: query.sql, arguments: query.arguments).map { row in
                    StatsRow(bucketStart: row["bucket"], group: row["grp"], count: row["n"])
                }
            }
        }
    }

    public func cursorSecret() async throws -> [UInt8] {
        try await self.run {
            try await self.writer.read { db in
                guard let data = try Data.fetchOne(db, sql: "SELECT value FROM contrail_settings WHERE name = 'cursor_secret'")
                else { throw StoreError(.unexpected, "the store has no cursor secret; run migrations first") }
                return Array(data)
            }
        }
    }

    /// Throws ``StoreError`` when no read can be made, or once any call has found the file corrupted.
    public func ping() async throws {
        try await self.run { _ = try await self.writer.read { try Int.fetchOne($0, sql: "SELECT 1") } }
    }

    /// The query plan SQLite chooses for `shape`, one step per line.
    package func explain(_ shape: QueryShape) async throws -> String {
        let example = shape.example
        let query: SQLiteStatements.Query
        switch shape {
        case .recordByID: query = SQLiteStatements.byID("m", subscription: nil)
        case .statsByHourGroupedByAttribute:
            query = SQLiteStatements.stats(example.filter, bucket: .hour, groupBy: example.groupBy, limit: 100)
        default: query = SQLiteStatements.list(example.filter, after: example.after, limit: 100)
        }
        return try await self.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query.sql, arguments: query.arguments)
                .map { row -> String in row["detail"] }
                .joined(separator: "\n")
        }
    }

    public func changeToken() async throws -> UInt64? {
        guard let changes = self.changes else { return nil }
        return try await self.run { try changes.generationNow() }
    }

    /// Whether changes are seen in the wal-index header rather than by asking SQLite, for tests.
    package var readsWALIndexHeader: Bool { self.changes?.readsWALIndexHeader ?? false }

    /// Runs a read whose cost is bounded by an index (a page of a listing, one record) on the calling thread.
    ///
    /// GRDB's asynchronous read hands the work to a reader's dispatch queue and resumes the caller from there: two
    /// thread switches around a read of a few microseconds, which cost more than the read. WAL readers never wait
    /// for the writer, and the connections are this store's own (see ``ConnectionShelf``), so this blocks the
    /// caller only for the read itself. Unbounded reads (stats, checks) stay asynchronous.
    private func readBounded<T>(_ body: (Database) throws -> T) throws -> T {
        guard let callerReaders = self.callerReaders else { return try self.writer.read(body) }
        return try callerReaders.withConnection { try $0.queue.read(body) }
    }

    /// Every GRDB error leaves as a ``StoreError``; one that says the file is damaged also closes the latch.
    private func run<T>(_ body: () async throws -> T) async throws -> T {
        // A file known to be damaged is left alone: a write could spread the damage, and a read answer wrongly.
        try self.corruption.check()
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            self.corruption.record(error)
            try self.corruption.check()
            throw StoreError(.unavailable, "the SQLite store failed: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
