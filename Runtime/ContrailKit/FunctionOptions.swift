public import Logging

/// How the host runs one function.
public struct FunctionOptions: Sendable {
    /// A hook run once when the host starts or stops, with a logger for the function.
    public typealias LifecycleHook = @Sendable (_ logger: Logger) async throws -> Void

    /// How long one invocation may run before the host answers 504; `nil` uses the host's request timeout.
    public var timeout: Duration?
    /// Treat every body as an unwrapped (`noWrapper`) push payload, even without `x-goog-pubsub-*` headers.
    ///
    /// Set this for a push subscription with `noWrapper` and `writeMetadata: false`: such a body is raw bytes
    /// that cannot be told apart from a malformed envelope, and Pub/Sub sends no message id with it.
    public var acceptsUnwrappedPayloads: Bool
    /// Runs before the host accepts its first request (open a pool, warm a cache). A throw stops the start.
    public var onStartup: LifecycleHook?
    /// Runs after the host has stopped accepting requests and finished those in flight (flush a buffer).
    public var onShutdown: LifecycleHook?

    public init(
        timeout: Duration? = nil,
        acceptsUnwrappedPayloads: Bool = false,
        onStartup: LifecycleHook? = nil,
        onShutdown: LifecycleHook? = nil
    ) {
        self.timeout = timeout
        self.acceptsUnwrappedPayloads = acceptsUnwrappedPayloads
        self.onStartup = onStartup
        self.onShutdown = onShutdown
    }
}
