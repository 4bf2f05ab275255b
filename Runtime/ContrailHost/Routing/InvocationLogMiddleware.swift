import Hummingbird

/// Writes the one log line of each invocation once its response is made.
struct InvocationLogMiddleware: RouterMiddleware {
    typealias Context = HostRequestContext

    let isStructured: Bool

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
            InvocationLog(
                head: invocation.head,
                report: report,
                status: response.status,
                responseSize: response.body.contentLength ?? 0,
                latency: invocation.started.duration(to: .now),
                isStructured: self.isStructured
            )
            .write(to: report.logger)
        }
        return response
    }
}
