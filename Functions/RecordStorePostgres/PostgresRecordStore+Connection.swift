import PostgresNIO
import RecordStore
import Synchronization

extension PostgresRecordStore {
    /// How long an operation waits for the pool to hand it a connection before it reports the store unavailable.
    ///
    /// When PostgreSQL is down the pool keeps retrying for a minute before failing anything; callers (a push
    /// delivery, a health check) need an answer sooner, and a reason.
    static let leaseTimeout: Duration = .seconds(5)

    /// Runs `body` on a pooled connection, or throws ``StoreError`` `.unavailable` with the reason when none can
    /// be had within ``leaseTimeout``. Once `body` has its connection it runs to completion.
    func withConnection<T: Sendable>(
        _ action: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await self.translatingErrors(action) {
            let leased = LeaseFlag()
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await self.client.withConnection { connection in
                        leased.set()
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: Self.leaseTimeout)
                    return nil
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let result { return result }
                    if !leased.isSet {
                        throw await self.diagnose(
                            prefix: "no PostgreSQL connection within \(Self.leaseTimeout) for \(action)"
                        )
                    }
                }
                throw CancellationError()
            }
        }
    }
}

/// Set once the pool has handed out the connection.
private final class LeaseFlag: Sendable {
    private let value = Atomic(false)

    var isSet: Bool { self.value.load(ordering: .acquiring) }

    func set() { self.value.store(true, ordering: .releasing) }
}
