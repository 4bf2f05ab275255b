import NIOCore
import NIOPosix
import Synchronization

/// Work ran past its deadline and was cancelled.
package struct DeadlineExceeded: Error {
    package init() {}
}

/// Runs `body`, cancelling it at `deadline`: the one way this package bounds the time of anything it awaits (an
/// invocation, a request body, a push, the wait for a pooled connection).
///
/// The body runs as its own task, and this returns once the body has observed cancellation (every awaiting call
/// on a cancellable API does), so no work outlives its deadline. A body that finishes with a value is answered
/// with it, even a moment late; one that fails after the deadline fails with ``DeadlineExceeded``.
///
/// The deadline is an event-loop timer, not a sleeping task: a cancelled `Task.sleep` keeps its timer and memory
/// until the time it would have woken, so under steady load and a long timeout finished sleeps pile up. A
/// cancelled NIO timer is gone at once.
package func withDeadline<Result: Sendable>(
    _ deadline: ContinuousClock.Instant,
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    let state = DeadlineState()
    // Started on this thread: a body that never suspends (an answer from a cache) is finished before this
    // returns, and needs neither a timer nor a trip through the executor's queue.
    let task = Task.immediate {
        defer { state.finished.store(true, ordering: .releasing) }
        return try await body()
    }
    if state.finished.load(ordering: .acquiring) { return try await task.value }
    let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(
        in: TimeAmount(ContinuousClock.now.duration(to: deadline))
    ) {
        state.expired.store(true, ordering: .relaxed)
        task.cancel()
    }
    defer { timer.cancel() }
    return try await withTaskCancellationHandler {
        let outcome = await task.result
        if case .failure = outcome, state.expired.load(ordering: .relaxed) { throw DeadlineExceeded() }
        return try outcome.get()
    } onCancel: {
        task.cancel()
    }
}

/// Shared between the body, the timer and the awaiting caller, which an `Atomic` alone cannot be.
private final class DeadlineState: Sendable {
    let finished = Atomic<Bool>(false)
    let expired = Atomic<Bool>(false)
}
