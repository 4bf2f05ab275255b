import NIOCore
import NIOPosix
import Synchronization

/// The invocation ran past its deadline.
struct DeadlineExceeded: Error {}

/// Runs `body`, cancelling it at `deadline`.
///
/// The body runs as its own task, so the host answers once the handler has observed cancellation (every awaiting
/// call on a cancellable API does); no handler work outlives its invocation.
///
/// The deadline is an event-loop timer, not a sleeping task: a cancelled `Task.sleep` keeps its timer and memory
/// until the time it would have woken, so at thousands of requests a second and a 300 s timeout the host held
/// hundreds of megabytes of finished sleeps, and every request paid for a dispatch timer. A cancelled NIO timer
/// is gone at once.
func withDeadline<Result: Sendable>(
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
        if state.expired.load(ordering: .relaxed) { throw DeadlineExceeded() }
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
