public import ContrailKit
import HTTPTypes
import Hummingbird
public import Logging
import Tracing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The host's routes: every function under `/<name>` (or, when `FUNCTION_TARGET` names one, that function at
/// every path), `/_/health` and `/_/metrics`, as one Hummingbird router. The server answers through it, and so
/// does the test kit, in process.
///
/// A function's route runs, in order: ``InvocationMiddleware`` (the request's one invocation), metrics, the
/// span, the log line, and ``FunctionResponder``.
public struct FunctionRouter: Sendable {
    /// Every method a function may be asked with; a message function or one that declares its methods answers
    /// the others 405 itself, with `Allow`.
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options, .trace]

    let responder: RouterResponder<HostRequestContext>
    public let health: HostHealth

    /// - Parameter pushVerifier: authenticates pushes to message functions; by default the one
    ///   `configuration.pushAuthentication` describes.
    /// - Throws: ``ConfigurationError`` when `configuration.functionTarget` names no registered function, or
    ///   when `configuration.pushAuthentication` cannot be enforced and no `pushVerifier` is given.
    /// - Parameter observer: told of every invocation, with the lines it logged.
    public init(
        registry: FunctionRegistry,
        configuration: HostConfiguration,
        logger: Logger,
        health: HostHealth = HostHealth(),
        pushVerifier: (any PushVerifier)? = nil,
        metrics: MetricsExposition? = nil,
        observer: (any InvocationObserver)? = nil
    ) throws(ConfigurationError) {
        let router = Router(context: HostRequestContext.self)
        router.add(middleware: GoogleErrorMiddleware())
        Self.addHostRoutes(to: router, health: health, metrics: metrics)

        let verifier: (any PushVerifier)?
        if let pushVerifier {
            verifier = pushVerifier
        } else {
            verifier = try configuration.pushAuthentication.makeVerifier()
        }
        let function = FunctionResponder(
            pushVerifier: verifier,
            bodyBudget: BodyMemoryBudget(limit: configuration.maxBufferedRequestBodyBytes),
            requestTimeout: configuration.requestTimeout
        )
        let tracing = !(InstrumentationSystem.tracer is NoOpTracer)
        for (entry, mountPath) in try Self.mounts(registry: registry, target: configuration.functionTarget) {
            var group = router.group(RouterPath(mountPath))
                .add(
                    middleware: InvocationMiddleware(
                        function: entry,
                        mountPath: mountPath,
                        configuration: configuration,
                        logger: logger,
                        capturesLogLines: observer != nil
                    )
                )
                .add(middleware: FunctionMetricsMiddleware(metrics: FunctionMetrics(function: entry.name)))
            if tracing { group = group.add(middleware: FunctionTracingMiddleware()) }
            group = group.add(
                middleware: InvocationLogMiddleware(isStructured: configuration.logFormat == .json, observer: observer)
            )
            for method in Self.methods {
                group.on("", method: method, responder: function)
                group.on("**", method: method, responder: function)
            }
        }
        self.responder = router.buildResponder()
        self.health = health
    }

    /// Where each function is served: each under `/<name>`, or only the target, at every path.
    private static func mounts(
        registry: FunctionRegistry,
        target: String?
    ) throws(ConfigurationError) -> [(RegisteredFunction, String)] {
        guard let target else { return registry.entries.map { ($0, "/\($0.name)") } }
        guard let function = registry[target] else {
            let names = registry.entries.map(\.name).sorted().joined(separator: ", ")
            throw ConfigurationError(
                variable: "FUNCTION_TARGET",
                value: target,
                expected: names.isEmpty ? "a registered function (none are registered)" : "one of \(names)"
            )
        }
        return [(function, "")]
    }

    private static func addHostRoutes(
        to router: Router<HostRequestContext>,
        health: HostHealth,
        metrics: MetricsExposition?
    ) {
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/_/health", method: method) { request, _ in
                await health.response().hummingbirdResponse(
                    closingConnection: RequestBodyReader.hasContent(request.head)
                )
            }
            if let metrics {
                router.on("/_/metrics", method: method) { request, _ in
                    var response = FunctionResponse(status: .ok, body: Data(metrics.render()))
                    response.headerFields[.contentType] = MetricsExposition.contentType
                    return response.hummingbirdResponse(closingConnection: RequestBodyReader.hasContent(request.head))
                }
            }
        }
        // Cloud Run and browsers ask for these; a function served at every path never answers them by accident.
        let notFound: @Sendable (Request, HostRequestContext) async throws -> Response = { _, _ in
            throw HTTPError(.notFound)
        }
        for method in Self.methods {
            for path: RouterPath in ["/_/**", "/robots.txt", "/favicon.ico"] {
                router.on(path, method: method, use: notFound)
            }
        }
    }
}
