import ContrailKit
import HTTPTypes
import Hummingbird
import NIOCore

/// Adapts Hummingbird's requests to the dispatcher. A function's body is read only once its invocation has
/// accepted the head (route, method, declared length, push token), and only within the body memory budget.
struct HostResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let dispatcher: FunctionDispatcher
    let bodyBudget: BodyMemoryBudget

    func respond(to request: Request, context: Context) async throws -> Response {
        let body = StreamedBody(request, budget: self.bodyBudget, timeout: self.dispatcher.configuration.requestTimeout)
        let response: FunctionResponse
        switch self.dispatcher.route(request.head) {
        case .health:
            response = await self.dispatcher.healthResponse()
        case .metrics:
            response = self.dispatcher.metricsResponse(request.head)
        case .notFound:
            response = FunctionDispatcher.notFound(request.head)
        case .function(let function, let subpath):
            response = await self.dispatcher.invoke(function, subpath: subpath, head: request.head, body: body.incoming)
            body.release()
        }
        return Self.response(response, closing: !body.leavesConnectionReusable)
    }

    private static func response(_ response: FunctionResponse, closing: Bool) -> Response {
        var headers = response.headerFields
        if closing { headers[.connection] = "close" }
        return Response(
            status: response.status,
            headers: headers,
            body: response.body.isEmpty ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: response.body))
        )
    }
}
