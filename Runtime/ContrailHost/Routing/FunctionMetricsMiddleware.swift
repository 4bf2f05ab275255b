import Hummingbird

/// Counts a function's requests by status class, times them, and keeps the number in flight.
struct FunctionMetricsMiddleware: RouterMiddleware {
    typealias Context = HostRequestContext

    let metrics: FunctionMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        self.metrics.began()
        defer { self.metrics.ended() }
        let response = try await next(request, context)
        if let invocation = context.invocation {
            self.metrics.record(status: Int(response.status.code), latency: invocation.started.duration(to: .now))
        }
        return response
    }
}
