#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ContrailKit
import HTTPTypes
import Hummingbird
import NIOCore

/// Adapts Hummingbird's requests to the dispatcher, reading bodies within the size limit as they arrive.
struct HostResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let dispatcher: FunctionDispatcher

    func respond(to request: Request, context: Context) async throws -> Response {
        switch self.dispatcher.route(request.head) {
        case .health:
            return Self.response(await self.dispatcher.healthResponse())
        case .metrics:
            return Self.response(self.dispatcher.metricsResponse(request.head))
        case .notFound:
            return Self.response(FunctionDispatcher.notFound(request.head))
        case .function(let function, let subpath):
            let body: Data
            do {
                body = try await self.readBody(request)
            } catch let error as FunctionError {
                return Self.response(ErrorBody.response(error), closing: true)
            }
            return Self.response(
                await self.dispatcher.invoke(function, subpath: subpath, head: request.head, body: body)
            )
        }
    }

    /// Refuses a body over the limit as soon as its declared length or the bytes received so far exceed it,
    /// so an oversized upload is never held in memory whole, and one still arriving when the request timeout
    /// runs out: a body trickled a byte at a time keeps a connection busy, so the idle timeout never fires.
    private func readBody(_ request: Request) async throws -> Data {
        // RFC 9112 §6.3: without either header a request has no body, so there is nothing to wait for.
        if request.headers[.contentLength] == nil, request.headers[.transferEncoding] == nil { return Data() }
        let timeout = self.dispatcher.configuration.requestTimeout
        do {
            return try await withDeadline(.now.advanced(by: timeout)) { try await self.collectBody(request) }
        } catch is DeadlineExceeded {
            throw FunctionError(
                .requestTimeout, "the request body did not arrive within \(timeout.components.seconds) s (the request timeout)"
            )
        }
    }

    private func collectBody(_ request: Request) async throws -> Data {
        let limit = self.dispatcher.configuration.maxRequestBodySize
        let tooLarge = FunctionError(
            .payloadTooLarge,
            "the request body exceeds the limit of \(limit) bytes (Cloud Run's HTTP/1 request limit)"
        )
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge
        }
        var buffer = ByteBuffer()
        for try await chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= limit else { throw tooLarge }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        return Data(buffer.readableBytesView)
    }

    private static func response(_ response: FunctionResponse, closing: Bool = false) -> Response {
        var headers = response.headerFields
        // The rest of an oversized body is not read, so the connection cannot carry another request.
        if closing { headers[.connection] = "close" }
        return Response(
            status: response.status,
            headers: headers,
            body: response.body.isEmpty ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: response.body))
        )
    }
}
