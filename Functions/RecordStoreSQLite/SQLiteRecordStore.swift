import ContrailKit
import Foundation
import GRDB
public import RecordStore

/// The embedded analytics store: one SQLite file in WAL mode, on the system libsqlite3.
///
/// Commits use `synchronous = FULL` unless told otherwise, so an acknowledged record survives a crash of the
/// process and of the machine. Readers never wait for the writer.
public final class SQLiteRecordStore: RecordStore {
    let writer: any DatabaseWriter
    /// Connections for reads on the caller's thread; `nil` for a store in memory, which has one connection.
    private let callerReaders: ConnectionShelf<Void>?
    /// Pages and records read lately, with what tells whether they are still current; `nil` for a store in memory.
    private let reuse: Reuse?
    /// One writer and the pool's readers.
    public let connectionLimit: Int
    private let corruption: CorruptionLatch

    /// What recent bounded reads returned, each with the ``CommitWatch`` generation seen *before* it was read, so
    /// that a commit during the read makes it stale, never wrong: every read includes the last commit, from
    /// whichever process. Dashboards and clients poll the same few listings, and a page's SQL, its rows and their
    /// decoding cost more than handing back the page read a moment ago.
    private struct Reuse: Sendable {
        let commits: CommitWatch
        let pages = BoundedCache<PageKey, (generation: UInt64, value: RecordPage)>(byteLimit: reuseByteLimit)
        let records = BoundedCache<RecordKey, (generation: UInt64, value: StoredRecord?)>(byteLimit: reuseByteLimit)
    }

    private struct PageKey: Hashable, Sendable {
        var filter: RecordFilter
        var after: RecordPosition?
        var budget: PageBudget
    }

    private struct RecordKey: Hashable, Sendable {
        var messageId: String
        var subscription: String?
    }

    /// Each kind of reused result may hold this much: a few hundred polled pages of small records.
    private static let reuseByteLimit = 1 << 20

    /// - Parameters:
    ///   - path: a file path, or `:memory:` for a store that lives as long as this value.
    ///   - synchronous: when commits reach the disk; `.full` unless the caller accepts losing the last
    ///     acknowledged records to a machine crash.
    /// - Throws: ``StoreError`` when the file cannot be opened.
    public init(path: String, synchronous: SQLiteSynchronous = .full) throws(StoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pragma = "PRAGMA synchronous = \(synchronous == .full ? "FULL" : "NORMAL")"
        configuration.prepareDatabase { db in
            try db.execute(sql: pragma)
        }
        self.connectionLimit = path == ":memory:" ? 1 : 1 + configuration.maximumReaderCount
        self.corruption = CorruptionLatch(path: path)
        do {
            if path == ":memory:" {
                self.writer = try DatabaseQueue(configuration: configuration)
                self.callerReaders = nil
                self.reuse = nil
            } else {
                self.writer = try DatabasePool(path: path, configuration: configuration)
                self.callerReaders = ConnectionShelf(path: path, initialState: ())
                self.reuse = Reuse(commits: CommitWatch(path: path))
            }
        } catch {
            throw StoreError(.unavailable, "cannot open the SQLite store at \(path): \(Self.describe(error))")
        }
    }

    public func migrate() async throws {
        try await self.run {
            // A current schema needs no write transaction, whose fsyncs would slow every start.
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

    public func records(
        matching filter: RecordFilter,
        after position: RecordPosition?,
        budget: PageBudget
    ) async throws
        -> RecordPage
    {
        try await self.run {
            try await self.readBounded(
                PageKey(filter: filter, after: position, budget: budget),
                in: self.reuse?.pages,
                size: { page in page.records.reduce(0) { $0 + Self.size(of: $1) } }
            ) { db in
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
            try await self.readBounded(
                RecordKey(messageId: messageId, subscription: subscription),
                in: self.reuse?.records,
                size: { record in record.map(Self.size(of:)) ?? 0 }
            ) { db in
                let query = SQLiteStatements.byID(messageId, subscription: subscription)
                return try Row.fetchOne(db.cachedStatement(sql: query.sql), arguments: query.arguments)
                    .map(SQLiteStatements.record)
            }
        }
    }

    public func stats(
        matching filter: RecordFilter,
        bucket: StatsBucket,
        groupBy: String?,
        limit: Int
    ) async throws
        -> [StatsRow]
    {
        try await self.run {
            try await self.writer.read { db in
                let query = SQLiteStatements.stats(filter, bucket: bucket, groupBy: groupBy, limit: limit)
                return try Row.fetchAll(db, sql: query.sql, arguments: query.arguments).map { row in
                    StatsRow(
                        bucketStart: Timestamp(microsecondsSinceEpoch: row["bucket"]),
                        group: row["grp"],
                        count: row["n"]
                    )
                }
            }
        }
    }

    public func cursorSecret() async throws -> [UInt8] {
        try await self.run {
            try await self.writer.read { db in
                guard
                    let data = try Data.fetchOne(
                        db,
                        sql: "SELECT value FROM contrail_settings WHERE name = 'cursor_secret'"
                    )
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

    /// Runs a read whose cost is bounded by an index (a page of a listing, one record) on the calling thread, or
    /// gives the result of the same read made since the last commit.
    ///
    /// GRDB's asynchronous read hands the work to a reader's dispatch queue and resumes the caller from there: two
    /// thread switches around a read of a few microseconds, which cost more than the read. WAL readers do not wait
    /// for the writer, and the connections are this store's own (see ``ConnectionShelf``), so this blocks the
    /// caller only for the read itself. The one wait SQLite may still ask for (a file being recovered after a
    /// crash) is not taken here: that read goes to GRDB's pool, which may wait without holding the caller's thread.
    /// Unbounded reads (stats, checks) are always asynchronous.
    private func readBounded<Key, Value>(
        _ key: Key,
        in results: BoundedCache<Key, (generation: UInt64, value: Value)>?,
        size: (Value) -> Int,
        _ body: @escaping @Sendable (Database) throws -> Value
    ) async throws -> Value {
        guard let results, let commits = self.reuse?.commits, let callerReaders = self.callerReaders else {
            return try await self.writer.read(body)
        }
        // Read before the rows are, so that a commit during the read makes the result stale, never wrong.
        let generation = try commits.generationNow()
        if let generation, let kept = results.value(for: key), kept.generation == generation { return kept.value }
        let value: Value
        do {
            value = try callerReaders.withConnection { try $0.queue.read(body) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            value = try await self.writer.read(body)
        }
        if let generation { results.keep((generation, value), for: key, size: size(value)) }
        return value
    }

    /// What a kept record weighs: its payload and attributes, as a page's budget counts them.
    private static func size(of record: StoredRecord) -> Int {
        let attributeBytes = record.attributes.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        return Record.contentSize(payloadBytes: record.data.count, attributeBytes: attributeBytes)
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
