import ContrailKit
import Hummingbird
import Logging

/// Opens a function's route: makes the request's one ``Invocation`` and hands it down the route.
struct InvocationMiddleware: RouterMiddleware {
    typealias Context = HostRequestContext

    let function: RegisteredFunction
    /// The path the function is served under: `/<name>`, or empty when `FUNCTION_TARGET` serves it at every path.
    let mountPath: String
    let configuration: HostConfiguration
    let logger: Logger
    /// Whether each invocation keeps its log lines, for an ``InvocationObserver``.
    let capturesLogLines: Bool

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var context = context
        context.invocation = Invocation(
            function: self.function,
            head: request.head,
            subpath: self.subpath(of: request.head.path ?? "/"),
            configuration: self.configuration,
            logger: self.logger,
            capturesLogLines: self.capturesLogLines
        )
        return try await next(request, context)
    }

    /// The path below the mount point, query included, always starting with `/`.
    private func subpath(of path: String) -> String {
        let rest = path.dropFirst(self.mountPath.count)
        return rest.first == "/" ? String(rest) : "/" + rest
    }
}
