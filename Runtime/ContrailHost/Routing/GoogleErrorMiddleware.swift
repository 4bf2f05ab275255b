import ContrailKit
import Hummingbird

/// Answers the router's own refusal, a path no route serves, in the Google API error shape that every other
/// refusal of the host has.
struct GoogleErrorMiddleware: RouterMiddleware {
    typealias Context = HostRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.head.path ?? "/"
            let response = ErrorBody.response(FunctionError(.notFound, "no function is served at \(path)"))
            // The body was never read: rather than drain an upload nobody wants, the connection ends here.
            return response.hummingbirdResponse(closingConnection: RequestBodyReader.hasContent(request.head))
        }
    }
}
