import Synchronization

/// Lets a fixed number of answers be read from the store and encoded at once; the rest wait their turn.
///
/// An answer's memory is bounded (a page, or one record), but a hundred of them built together are not: the
/// gate makes the query function's peak memory follow the number of permits rather than the number of clients.
/// Waiters are served first come, first served, and a cancelled waiter leaves the queue.
final class AnswerGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    init(permits: Int) {
        precondition(permits > 0, "a gate needs at least one permit")
        self.state = Mutex(State(available: permits))
    }

    func withPermit<Result>(_ body: () async throws -> Result) async throws -> Result {
        try await self.acquire()
        defer { self.release() }
        return try await body()
    }

    private func acquire() async throws {
        let id: UInt64? = self.state.withLock { state in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let cancelled = self.state.withLock { state in
                    if Task.isCancelled { return true }
                    state.waiters.append((id, continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let continuation = self.state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).continuation }
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    private func release() {
        let next = self.state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil as CheckedContinuation<Void, any Error>?
            }
            // The permit passes straight to the first waiter.
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
