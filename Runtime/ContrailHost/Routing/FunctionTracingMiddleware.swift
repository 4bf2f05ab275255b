import ContrailKit
import Hummingbird
import Tracing

/// Wraps a function's invocation in a server span that continues the caller's trace, with OpenTelemetry's FaaS
/// and HTTP attributes. Added only when a tracer is bootstrapped: without one a span per request is pure cost.
struct FunctionTracingMiddleware: RouterMiddleware {
    typealias Context = HostRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard let invocation = context.invocation else { return try await next(request, context) }
        let parent = invocation.trace?.serviceContext ?? .topLevel
        return try await withSpan(invocation.function.name, context: parent, ofKind: .server) { span in
            span.attributes["faas.name"] = invocation.function.name
            span.attributes["faas.trigger"] = invocation.triggerKind
            span.attributes["http.request.method"] = request.method.rawValue
            let response = try await next(request, context)
            let status = Int(response.status.code)
            span.attributes["http.response.status_code"] = status
            if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
            return response
        }
    }
}
