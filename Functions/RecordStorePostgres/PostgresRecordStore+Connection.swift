import ContrailKit
import Deadline
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
            do {
                return try await withDeadline(.now.advanced(by: Self.leaseTimeout)) {
                    try await self.client.withConnection { connection in
                        leased.set()
                        // The deadline bounds the wait for a connection only: once leased, the operation runs to
                        // completion in a task of its own, which the deadline's cancellation does not reach.
                        return try await Task { try await body(connection) }.value
                    }
                }
            } catch is DeadlineExceeded where !leased.isSet {
                throw await self.diagnose(prefix: "no PostgreSQL connection within \(Self.leaseTimeout) for \(action)")
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
