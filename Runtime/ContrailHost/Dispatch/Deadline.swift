/// The invocation ran past its deadline.
struct DeadlineExceeded: Error {}

/// Runs `body`, cancelling it at `deadline`.
///
/// The body runs as a child task, so the host answers once the handler has observed cancellation (every awaiting
/// call on a cancellable API does); no handler work outlives its invocation.
func withDeadline<Result: Sendable>(
    _ deadline: ContinuousClock.Instant,
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(until: deadline, clock: .continuous)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else { throw DeadlineExceeded() }
        return result
    }
}
