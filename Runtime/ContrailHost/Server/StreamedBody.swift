#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ContrailKit
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Reads a request's body from the socket when, and only if, the invocation asks for it, within the body
/// memory budget and the request timeout.
final class StreamedBody: Sendable {
    private struct State {
        var reserved = 0
        var finished = false
    }

    private let request: Request
    private let budget: BodyMemoryBudget
    private let timeout: Duration
    private let state = Mutex(State())

    init(_ request: Request, budget: BodyMemoryBudget, timeout: Duration) {
        self.request = request
        self.budget = budget
        self.timeout = timeout
    }

    /// Whether the head announces a body with content. RFC 9112 §6.3: without `Content-Length` or
    /// `Transfer-Encoding` a request has none.
    static func hasContent(_ head: HTTPRequest) -> Bool {
        if head.headerFields[.transferEncoding] != nil { return true }
        guard let length = head.headerFields[.contentLength] else { return false }
        return length != "0"
    }

    var declaredLength: Int? { self.request.headers[.contentLength].flatMap(Int.init) }

    /// Whether the body was read to its end, so that the connection can carry another request. Otherwise the rest
    /// of an upload would have to be read and thrown away to find the next request, so the host closes the
    /// connection instead.
    var wasReadToTheEnd: Bool { self.state.withLock(\.finished) }

    var incoming: IncomingBody {
        IncomingBody(declaredLength: self.declaredLength) { limit throws(FunctionError) in try await self.read(upTo: limit) }
    }

    /// Gives back what the body held of the budget; call once the invocation has finished with it.
    func release() {
        let reserved = self.state.withLock { state in
            defer { state.reserved = 0 }
            return state.reserved
        }
        self.budget.release(reserved)
    }

    private func read(upTo limit: Int) async throws(FunctionError) -> Data {
        if let declared = self.declaredLength, declared > 0 { try self.reserve(declared) }
        do {
            return try await withDeadline(.now.advanced(by: self.timeout)) { try await self.collect(upTo: limit) }
        } catch let error as FunctionError {
            throw error
        } catch {
            throw FunctionError(
                .requestTimeout,
                "the request body did not arrive within \(self.timeout.components.seconds) s (the request timeout)"
            )
        }
    }

    private func collect(upTo limit: Int) async throws -> Data {
        let declared = self.declaredLength
        var buffer = ByteBuffer()
        for try await chunk in self.request.body {
            guard buffer.readableBytes + chunk.readableBytes <= limit else { throw IncomingBody.tooLarge(limit: limit) }
            // A body of unknown length takes from the budget as it arrives.
            if declared == nil { try self.reserve(chunk.readableBytes) }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        self.state.withLock { $0.finished = true }
        return Data(buffer.readableBytesView)
    }

    private func reserve(_ bytes: Int) throws(FunctionError) {
        guard self.budget.reserve(bytes) else {
            throw FunctionError(
                .unavailable,
                "the host is receiving more request bodies than it holds at once (\(self.budget.limit) bytes in all); "
                    + "retry later"
            )
        }
        self.state.withLock { $0.reserved += bytes }
    }
}
