#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import ContrailKit
public import HTTPTypes
public import Logging
import Tracing

/// Turns one complete request into one response: routing, delivery decoding, the deadline, the outcome→status
/// table and the invocation log line. Knows nothing of sockets, so the test kit drives it in-process.
public struct FunctionDispatcher: Sendable {
    private let routes: FunctionRoutes
    let configuration: HostConfiguration
    let logger: Logger
    public let health: HostHealth
    /// Authenticates pushes to message functions; `nil` accepts every push (`PUSH_AUTH=none`).
    let pushVerifier: (any PushVerifier)?
    /// Served at `/_/metrics`; `nil` answers 404 there.
    let metrics: MetricsExposition?
    private let functionMetrics: [String: FunctionMetrics]
    /// Whether a tracer was bootstrapped before the host was made. Without one a span per invocation is pure
    /// cost: a no-op span and a task-local push around every request.
    private let tracing: Bool

    /// - Parameter pushVerifier: authenticates pushes to message functions; by default the one
    ///   `configuration.pushAuthentication` describes.
    /// - Throws: ``ConfigurationError`` when `configuration.functionTarget` names no registered function, or
    ///   when `configuration.pushAuthentication` cannot be enforced and no `pushVerifier` is given.
    public init(
        registry: FunctionRegistry,
        configuration: HostConfiguration,
        logger: Logger,
        health: HostHealth = HostHealth(),
        pushVerifier: (any PushVerifier)? = nil,
        metrics: MetricsExposition? = nil
    ) throws(ConfigurationError) {
        self.routes = try FunctionRoutes(registry: registry, target: configuration.functionTarget)
        self.metrics = metrics
        self.functionMetrics = Dictionary(
            registry.entries.map { ($0.name, FunctionMetrics(function: $0.name)) }, uniquingKeysWith: { first, _ in first }
        )
        self.configuration = configuration
        self.logger = logger
        self.health = health
        self.tracing = !(InstrumentationSystem.tracer is NoOpTracer)
        if let pushVerifier {
            self.pushVerifier = pushVerifier
        } else {
            self.pushVerifier = try configuration.pushAuthentication.makeVerifier()
        }
    }

    /// Answers a request whose body has been read in full.
    public func respond(to head: HTTPRequest, body: Data) async -> FunctionResponse {
        switch self.route(head) {
        case .health:
            return await self.healthResponse()
        case .metrics:
            return self.metricsResponse(head)
        case .notFound:
            return Self.notFound(head)
        case .function(let function, let subpath):
            return await self.invoke(function, subpath: subpath, head: head, body: .complete(body))
        }
    }

    func route(_ head: HTTPRequest) -> FunctionRoutes.Route {
        self.routes.route(path: head.path ?? "/")
    }

    func healthResponse() async -> FunctionResponse {
        if let problem = await self.health.problem() {
            return Self.json(status: .serviceUnavailable, ["status": "unavailable", "reason": problem])
        }
        return Self.json(status: .ok, ["status": "ok"])
    }

    func metricsResponse(_ head: HTTPRequest) -> FunctionResponse {
        guard let metrics = self.metrics else { return Self.notFound(head) }
        var response = FunctionResponse(status: .ok, body: Data(metrics.render()))
        response.headerFields[.contentType] = MetricsExposition.contentType
        return response
    }

    static func notFound(_ head: HTTPRequest) -> FunctionResponse {
        let path = head.path ?? "/"
        return ErrorBody.response(FunctionError(.notFound, "no function is served at \(path)"))
    }

    func invoke(
        _ function: RegisteredFunction,
        subpath: String,
        head: HTTPRequest,
        body: IncomingBody
    ) async -> FunctionResponse {
        let started = ContinuousClock.now
        let metrics = self.functionMetrics[function.name]
        metrics?.began()
        defer { metrics?.ended() }
        let trace = ContrailKit.TraceContext(headers: head.headerFields)
        let kind: String
        switch function.kind {
        case .message: kind = "pubsub"
        case .http: kind = "http"
        }
        guard self.tracing else {
            return await self.answer(
                function, kind: kind, subpath: subpath, head: head, body: body, trace: trace, started: started,
                metrics: metrics, span: nil
            )
        }
        return await withSpan(function.name, context: trace?.serviceContext ?? .topLevel, ofKind: .server) { span in
            await self.answer(
                function, kind: kind, subpath: subpath, head: head, body: body, trace: trace, started: started,
                metrics: metrics, span: span
            )
        }
    }

    private func answer(
        _ function: RegisteredFunction,
        kind: String,
        subpath: String,
        head: HTTPRequest,
        body: IncomingBody,
        trace: ContrailKit.TraceContext?,
        started: ContinuousClock.Instant,
        metrics: FunctionMetrics?,
        span: (any Span)?
    ) async -> FunctionResponse {
        span?.attributes["faas.name"] = function.name
        span?.attributes["faas.trigger"] = kind
        span?.attributes["http.request.method"] = head.method.rawValue
        let outcome = await self.run(function, subpath: subpath, head: head, body: body, trace: trace, started: started)
        let status = Int(outcome.response.status.code)
        span?.attributes["http.response.status_code"] = status
        if status >= 500 { span?.setStatus(SpanStatus(code: .error)) }
        let latency = started.duration(to: .now)
        metrics?.record(status: status, latency: latency)
        InvocationLog(
            head: head,
            requestSize: outcome.requestSize,
            outcome: outcome,
            latency: latency,
            isStructured: self.configuration.logFormat == .json
        )
            .write(to: outcome.logger)
        return outcome.response
    }

    private func run(
        _ function: RegisteredFunction,
        subpath: String,
        head: HTTPRequest,
        body: IncomingBody,
        trace: ContrailKit.TraceContext?,
        started: ContinuousClock.Instant
    ) async -> Invocation.Outcome {
        var logger = self.logger
        logger[metadataKey: "function"] = .string(function.name)
        if let trace {
            logger[metadataKey: "trace_id"] = .string(trace.traceID)
            logger[metadataKey: "span_id"] = .string(trace.spanID)
            logger[metadataKey: "trace_sampled"] = .stringConvertible(trace.isSampled)
        }
        let deadline = started.advanced(by: function.options.timeout ?? self.configuration.requestTimeout)
        let hostLimit = self.configuration.maxRequestBodySize
        let invocation = Invocation(
            function: function,
            head: head,
            body: body,
            bodyLimit: min(function.options.maxRequestBodySize ?? hostLimit, hostLimit),
            trace: trace,
            deadline: deadline
        )
        switch function.kind {
        case .message(let handler):
            return await invocation.deliver(to: handler, verifier: self.pushVerifier, logger: logger)
        case .http(let handler):
            return await invocation.call(handler, subpath: subpath, logger: logger)
        }
    }

    static func json(status: HTTPResponse.Status, _ members: [String: String]) -> FunctionResponse {
        (try? FunctionResponse.json(members, status: status)) ?? FunctionResponse(status: status)
    }
}
