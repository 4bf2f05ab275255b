public import HTTPTypes
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
    /// The methods an HTTP function answers; `nil` passes every method to the handler. The host refuses any
    /// other with 405 from the request head alone, so an upload to the wrong method is never read. A message
    /// function accepts POST only, whatever this says.
    public var methods: Set<HTTPRequest.Method>?
    /// The largest request body this function accepts, in bytes; `nil` uses the host's limit, which also caps
    /// this. A declared length above it is refused with 413 before any of the body is read; 0 refuses every
    /// body, for a function that reads none.
    public var maxRequestBodySize: Int?
    /// Runs before the host accepts its first request (open a pool, warm a cache). A throw stops the start.
    public var onStartup: LifecycleHook?
    /// Runs after the host has stopped accepting requests and finished those in flight (flush a buffer).
    public var onShutdown: LifecycleHook?

    public init(
        timeout: Duration? = nil,
        acceptsUnwrappedPayloads: Bool = false,
        methods: Set<HTTPRequest.Method>? = nil,
        maxRequestBodySize: Int? = nil,
        onStartup: LifecycleHook? = nil,
        onShutdown: LifecycleHook? = nil
    ) {
        self.timeout = timeout
        self.acceptsUnwrappedPayloads = acceptsUnwrappedPayloads
        self.methods = methods
        self.maxRequestBodySize = maxRequestBodySize
        self.onStartup = onStartup
        self.onShutdown = onShutdown
    }
}
