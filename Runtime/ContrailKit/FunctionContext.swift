public import Logging

/// What the host tells a function about the invocation it is handling.
public struct FunctionContext: Sendable {
    /// A logger carrying the invocation's metadata (function, message id or request path, trace id).
    public var logger: Logger
    /// The name the function is registered under.
    public let functionName: String
    /// The trace this invocation belongs to, from `traceparent` or `X-Cloud-Trace-Context`.
    public let trace: TraceContext?
    /// The Pub/Sub delivery attempt, for message functions whose subscription has a dead-letter policy.
    public let deliveryAttempt: Int?
    /// When the host gives up on the invocation and answers 504.
    public let deadline: ContinuousClock.Instant

    public init(
        logger: Logger,
        functionName: String,
        trace: TraceContext? = nil,
        deliveryAttempt: Int? = nil,
        deadline: ContinuousClock.Instant
    ) {
        self.logger = logger
        self.functionName = functionName
        self.trace = trace
        self.deliveryAttempt = deliveryAttempt
        self.deadline = deadline
    }

    /// Time left before ``deadline``.
    public var remainingTime: Duration {
        ContinuousClock.now.duration(to: self.deadline)
    }
}
