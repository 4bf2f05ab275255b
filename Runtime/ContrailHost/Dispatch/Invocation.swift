import ContrailKit
import HTTPTypes
import Logging
import Synchronization

/// One call of one function: made once per request by ``InvocationMiddleware`` and passed along the route's
/// middleware to ``FunctionResponder``, which records in it what the log line, the span and the metrics report.
final class Invocation: Sendable {
    /// What happened, as far as the response does not say it.
    struct Report: Sendable {
        var logger: Logger
        var message: PubSubMessage?
        /// Kept for the log line only; never sent to the client.
        var failure: String?
        /// The bytes of the body read; 0 when the request was refused on its head.
        var requestSize = 0
    }

    let function: RegisteredFunction
    let head: HTTPRequest
    /// The path below the function's mount point, query included, always starting with `/`.
    let subpath: String
    let trace: TraceContext?
    let started: ContinuousClock.Instant
    /// The lines this invocation logs, kept when an observer will want them.
    let logLines: LogLineBuffer?
    let deadline: ContinuousClock.Instant
    /// The largest body this invocation reads: the function's own limit within the host's.
    let bodyLimit: Int
    private let state: Mutex<Report>

    init(
        function: RegisteredFunction,
        head: HTTPRequest,
        subpath: String,
        configuration: HostConfiguration,
        logger: Logger,
        capturesLogLines: Bool = false
    ) {
        let started = ContinuousClock.now
        let trace = TraceContext(headers: head.headerFields)
        var logger = logger
        if capturesLogLines {
            let buffer = LogLineBuffer()
            logger.handler = LogCapturingHandler(upstream: logger.handler, buffer: buffer)
            self.logLines = buffer
        } else {
            self.logLines = nil
        }
        logger[metadataKey: "function"] = .string(function.name)
        if let trace {
            logger[metadataKey: "trace_id"] = .string(trace.traceID)
            logger[metadataKey: "span_id"] = .string(trace.spanID)
            logger[metadataKey: "trace_sampled"] = .stringConvertible(trace.isSampled)
        }
        self.function = function
        self.head = head
        self.subpath = subpath
        self.trace = trace
        self.started = started
        self.deadline = started.advanced(by: function.options.timeout ?? configuration.requestTimeout)
        let hostLimit = configuration.maxRequestBodySize
        self.bodyLimit = min(function.options.maxRequestBodySize ?? hostLimit, hostLimit)
        self.state = Mutex(Report(logger: logger))
    }

    /// The trigger name OpenTelemetry's FaaS conventions use.
    var triggerKind: String {
        switch self.function.kind {
        case .message: "pubsub"
        case .http: "http"
        }
    }

    var report: Report { self.state.withLock { $0 } }

    var logger: Logger { self.state.withLock(\.logger) }

    func update(_ change: (inout Report) -> Void) {
        self.state.withLock { change(&$0) }
    }
}
