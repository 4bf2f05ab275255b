import ContrailHost
import ContrailKit
import Functions
import Logging
import RecordStore
import RecordStorePostgres
import RecordStoreSQLite
import ServiceLifecycle

/// The record store `DATABASE_URL` names, and the service that keeps its connections, if it has one.
struct ConfiguredRecordStore {
    let store: any RecordStore
    let service: (any Service)?

    static let variable = "DATABASE_URL"
    /// Apart from `DATABASE_URL`, which is one secret shared by services whose pools are sized apart.
    static let poolSizeVariable = "DATABASE_POOL_SIZE"

    /// - Throws: ``ConfigurationError`` naming `DATABASE_URL` when the value is not a store this build knows, or
    ///   `DATABASE_POOL_SIZE` when it is not a usable pool size (checked whatever the store, so a typo never
    ///   passes unnoticed until the store changes).
    init(environment: [String: String], logger: Logger) throws {
        var poolSize: Int?
        if let text = environment[Self.poolSizeVariable], !text.isEmpty {
            do {
                poolSize = try PostgresURL.poolSize(text)
            } catch {
                throw ConfigurationError(
                    variable: Self.poolSizeVariable,
                    value: text,
                    expected: "a whole number of connections from 1 to \(PostgresURL.maximumPoolSize)"
                )
            }
        }
        let text = environment[Self.variable].flatMap { $0.isEmpty ? nil : $0 }
        let url: DatabaseURL
        do {
            url = try text.map { text throws(StoreError) in try DatabaseURL(text) } ?? .default
        } catch {
            throw ConfigurationError(variable: Self.variable, value: text ?? "", expected: error.message)
        }
        switch url {
        case .sqlite(let path, let synchronous):
            let store = try SQLiteRecordStore(path: path, synchronous: synchronous)
            self.store = InstrumentedRecordStore(store, system: "sqlite", connections: store.connectionLimit)
            self.service = nil
        case .postgres(let urlText):
            do {
                var postgresURL = try PostgresURL(urlText)
                postgresURL.poolSize = poolSize
                let store = PostgresRecordStore(url: postgresURL, logger: logger)
                self.store = InstrumentedRecordStore(store, system: "postgresql", connections: store.connectionLimit)
                self.service = store
            } catch {
                throw ConfigurationError(variable: Self.variable, value: "postgres://…", expected: error.message)
            }
        }
    }
}

extension ConfiguredRecordStore {
    /// The services to start before the host (the PostgreSQL pool), so that they stop after it and draining
    /// requests can still commit.
    var services: [any Service] { self.service.map { [$0] } ?? [] }
}
