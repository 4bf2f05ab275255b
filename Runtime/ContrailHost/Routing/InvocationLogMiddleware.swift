import ContrailKit
import Hummingbird

/// Writes the one log line of each invocation once its response is made, then tells the observer, if any.
struct InvocationLogMiddleware: RouterMiddleware {
    typealias Context = HostRequestContext

    let isStructured: Bool
    let observer: (any InvocationObserver)?

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let response = try await next(request, context)
        if let invocation = context.invocation {
            let report = invocation.report
            let latency = invocation.started.duration(to: .now)
            InvocationLog(
                head: invocation.head,
                report: report,
                status: response.status,
                responseSize: response.body.contentLength ?? 0,
                latency: latency,
                isStructured: self.isStructured
            )
            .write(to: report.logger)
            self.observer?.invocationFinished(
                FinishedInvocation(
                    function: invocation.function.name,
                    kind: invocation.triggerKind == "pubsub" ? .message : .http,
                    method: invocation.head.method.rawValue,
                    path: invocation.head.path ?? "/",
                    status: response.status.code,
                    duration: latency,
                    started: WallClock.system.now().advanced(bySeconds: -(latency / .seconds(1))),
                    messageID: report.message?.id,
                    deliveryAttempt: report.message?.deliveryAttempt,
                    traceID: invocation.trace?.traceID,
                    failure: report.failure,
                    logLines: invocation.logLines?.lines ?? []
                )
            )
        }
        return response
    }
}
