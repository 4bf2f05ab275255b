import GRDB

/// The greetings received, in a SQLite table of their own.
///
/// The file is opened by the host's start-up hook and closed by its shutdown hook, so that a database that cannot
/// be opened stops the start with a message naming it, and the file is let go only after the last request.
public actor GreetingStore {
    public let path: String
    private var database: DatabaseQueue?

    public init(path: String) {
        self.path = path
    }

    /// Opens the file, creating it and the table when they do not exist yet.
    public func open() async throws {
        guard self.database == nil else { return }
        let database = try DatabaseQueue(path: self.path)
        try await database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS greetings (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        messageId TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        language TEXT NOT NULL
                    )
                    """
            )
        }
        self.database = database
    }

    public func close() throws {
        try self.database?.close()
        self.database = nil
    }

    /// Stores `greeting` once per message: Pub/Sub delivers at least once, so a redelivery must change nothing.
    public func add(_ greeting: Greeting, messageId: String) async throws {
        try await self.opened().write { db in
            try db.execute(
                sql: "INSERT INTO greetings (messageId, name, language) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [messageId, greeting.name, greeting.language]
            )
        }
    }

    /// Every greeting, in the order they arrived.
    public func all() async throws -> [StoredGreeting] {
        try await self.opened().read { db in
            try StoredGreeting.fetchAll(db, sql: "SELECT messageId, name, language FROM greetings ORDER BY id")
        }
    }

    private func opened() throws -> DatabaseQueue {
        guard let database = self.database else { throw GreetingStoreClosed(path: self.path) }
        return database
    }
}

/// The store was used before the start-up hook opened it or after the shutdown hook closed it.
public struct GreetingStoreClosed: Error, CustomStringConvertible {
    public let path: String

    public var description: String { "the greetings database \(self.path) is not open" }
}
