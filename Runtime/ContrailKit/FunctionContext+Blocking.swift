import Dispatch

extension FunctionContext {
    /// Runs `work` on a thread that serves no requests, and waits for its result without holding one that does.
    ///
    /// Use it for work that blocks its thread: a synchronous library call (a database driver, a file read, an
    /// image codec) or a long CPU loop. Called directly from a handler, such work would hold one of the few
    /// threads that serve every connection, and the host's other requests, `/_/health` among them, would wait.
    /// The work runs on libdispatch's global pool, which adds threads while its threads are blocked. It is not
    /// cancelled with the invocation: a deadline that passes answers 504, and the work runs to its end.
    public func runBlocking<Value: Sendable>(
        _ work: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
