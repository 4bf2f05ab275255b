public import ContrailKit

/// One invocation as an observer sees it after the response: what the log line says, and the lines it logged.
public struct FinishedInvocation: Sendable {
    public enum Kind: String, Sendable {
        case message
        case http
    }

    public var function: String
    public var kind: Kind
    public var method: String
    /// The request's path, query included.
    public var path: String
    public var status: Int
    public var duration: Duration
    /// When the request arrived, by the wall clock.
    public var started: Timestamp
    public var messageID: String?
    public var deliveryAttempt: Int?
    public var traceID: String?
    /// Why it failed, when the host knows more than the status says.
    public var failure: String?
    /// The lines logged through the invocation's logger, oldest first, at most ``LogLineBuffer/capacity``.
    public var logLines: [String]

    public init(
        function: String,
        kind: Kind,
        method: String,
        path: String,
        status: Int,
        duration: Duration,
        started: Timestamp,
        messageID: String? = nil,
        deliveryAttempt: Int? = nil,
        traceID: String? = nil,
        failure: String? = nil,
        logLines: [String] = []
    ) {
        self.function = function
        self.kind = kind
        self.method = method
        self.path = path
        self.status = status
        self.duration = duration
        self.started = started
        self.messageID = messageID
        self.deliveryAttempt = deliveryAttempt
        self.traceID = traceID
        self.failure = failure
        self.logLines = logLines
    }
}
