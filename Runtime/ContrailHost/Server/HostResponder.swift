#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        // Most requests carry no body (every GET): they need no reader, no budget and no state to settle.
        let body = StreamedBody.hasContent(request.head)
            ? StreamedBody(request, budget: self.bodyBudget, timeout: self.dispatcher.configuration.requestTimeout)
            : nil
        let response: FunctionResponse
        switch self.dispatcher.route(request.head) {
        case .health:
            response = await self.dispatcher.healthResponse()
        case .metrics:
            response = self.dispatcher.metricsResponse(request.head)
        case .notFound:
            response = FunctionDispatcher.notFound(request.head)
        case .function(let function, let subpath):
            response = await self.dispatcher.invoke(
                function, subpath: subpath, head: request.head, body: body?.incoming ?? .complete(Data())
            )
            body?.release()
        }
        return Self.response(response, closing: body?.wasReadToTheEnd == false)
    }

    /// Bodies above this go to the socket a slice at a time, as the client reads them, instead of being copied
    /// whole into one more buffer in front of a slow reader.
    static let streamingThreshold = 1 << 20
    static let sliceSize = 256 << 10

    private static func response(_ response: FunctionResponse, closing: Bool) -> Response {
        var headers = response.headerFields
        if closing { headers[.connection] = "close" }
        let body = response.body
        let responseBody: ResponseBody
        if body.isEmpty {
            responseBody = ResponseBody()
        } else if body.count <= Self.streamingThreshold {
            responseBody = ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        } else {
            responseBody = ResponseBody(contentLength: body.count) { writer in
                var offset = body.startIndex
                while offset < body.endIndex {
                    let end = body.index(offset, offsetBy: Self.sliceSize, limitedBy: body.endIndex) ?? body.endIndex
                    // Waits while the connection is not writable, so at most a slice or two is copied ahead.
                    try await writer.write(ByteBuffer(bytes: body[offset..<end]))
                    offset = end
                }
                try await writer.finish(nil)
            }
        }
        return Response(status: response.status, headers: headers, body: responseBody)
    }
}
