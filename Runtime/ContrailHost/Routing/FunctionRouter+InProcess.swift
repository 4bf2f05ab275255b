public import ContrailKit
public import HTTPTypes
import Hummingbird
import Logging
import NIOCore

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension FunctionRouter {
    /// Answers a request in process, through the same routes and middleware as the server, with the whole body
    /// given up front.
    public func respond(to head: HTTPRequest, body: Data) async -> FunctionResponse {
        var head = head
        if !body.isEmpty, head.headerFields[.contentLength] == nil {
            head.headerFields[.contentLength] = String(body.count)
        }
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body)))
        let context = HostRequestContext(logger: Logger(label: "contrail.in-process"))
        do {
            let response = try await self.responder.respond(to: request, context: context)
            let collected = CollectedBody()
            try await response.body.write(BodyCollector(into: collected))
            return FunctionResponse(status: response.status, headerFields: response.headers, body: collected.data)
        } catch {
            // The routes answer every failure themselves; this is the last resort the server would also take.
            return FunctionResponse(status: .internalServerError)
        }
    }
}

/// A response body written in process.
private final class CollectedBody {
    var data = Data()
}

/// Gathers a response body into a ``CollectedBody``: the writer itself is consumed by the body it writes.
private struct BodyCollector: ResponseBodyWriter {
    let target: CollectedBody

    init(into target: CollectedBody) {
        self.target = target
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        self.target.data.append(contentsOf: buffer.readableBytesView)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
