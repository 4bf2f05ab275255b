import HTTPTypes
import Hummingbird
import PubSubEmulator

/// Lets the console be driven by its own pages and by local programs, not by other web pages the developer visits.
///
/// Every request must name a loopback host (a page whose own name came to resolve to 127.0.0.1 by DNS rebinding
/// names itself), and a request that changes state must carry no `Origin` or the console's own: a form on any
/// other page, including one served from another port of this machine, is another origin.
struct ConsoleGuard<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do throws(PubSubError) {
            // The local Pub/Sub service's own check: one Host header, naming loopback.
            try RequestGuard.checkHost(request.head, service: "The console")
        } catch {
            throw ConsoleRefusal(error)
        }
        let host = request.head.authority ?? ""
        if ![.get, .head].contains(request.method) {
            for origin in request.headers[values: .origin] where origin.lowercased() != "http://\(host.lowercased())" {
                throw ConsoleRefusal(
                    .permissionDenied(
                        "The console does not take changes from web pages of other origins (Origin \"\(origin)\")."
                    )
                )
            }
        }
        return try await next(request, context)
    }
}

/// A refusal made before any route ran: answered in Google's error shape, as JSON.
struct ConsoleRefusal: Error, HTTPResponseError {
    let error: PubSubError

    init(_ error: PubSubError) {
        self.error = error
    }

    var status: HTTPResponse.Status { HTTPResponse.Status(code: self.error.code) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        ConsoleResponse.json(self.error.json, status: self.status)
    }
}
