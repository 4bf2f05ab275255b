import Foundation
import GRDB

/// Durable topics, subscriptions, messages and per-subscription delivery state in one SQLite database.
///
/// An actor so that a push delivery loop can later share it with the REST responder.
public actor PubSubStore {
    let writer: any DatabaseWriter

    /// - Parameter path: a file path, or `:memory:` for a store that lives as long as this value.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        if path == ":memory:" {
            self.writer = try DatabaseQueue(configuration: configuration)
        } else {
            self.writer = try DatabasePool(path: path, configuration: configuration)
        }
        try PubSubMigrations.migrator.migrate(self.writer)
    }

    /// Runs database work, turning driver failures into a Google INTERNAL error.
    func run<T: Sendable>(_ work: @Sendable @escaping (Database) throws -> T) async throws(PubSubError) -> T {
        do {
            return try await self.writer.write { db in try work(db) }
        } catch let error as PubSubError {
            throw error
        } catch {
            throw .internalError("storage failure: \(error)")
        }
    }

    /// NOT_FOUND unless the subscription (full name) exists.
    static func requireSubscription(_ name: String, in db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM subscriptions WHERE name = ?", arguments: [name]) == true else {
            throw PubSubError.notFound(name)
        }
    }

    func read<T: Sendable>(_ work: @Sendable @escaping (Database) throws -> T) async throws(PubSubError) -> T {
        do {
            return try await self.writer.read { db in try work(db) }
        } catch {
            throw .internalError("storage failure: \(error)")
        }
    }
}
