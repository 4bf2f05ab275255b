import ContrailKit
import Deadline
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads a request's body when, and only if, the invocation asks for it: within the function's limit, the
/// memory all bodies share, and the request timeout.
///
/// Routing, the method, the declared length and a push's token are all checked before ``read(upTo:)``, so a
/// request refused for any of them costs no memory for its body, however large it says it is.
final class RequestBodyReader: Sendable {
    private struct State {
        var reserved = 0
        var finished: Bool
    }

    private let request: Request
    private let budget: BodyMemoryBudget
    private let timeout: Duration
    private let state: Mutex<State>

    init(_ request: Request, budget: BodyMemoryBudget, timeout: Duration) {
        self.request = request
        self.budget = budget
        self.timeout = timeout
        self.state = Mutex(State(finished: !Self.hasContent(request.head)))
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
    /// of an upload would have to be read and thrown away to find the next request.
    var wasReadToTheEnd: Bool { self.state.withLock(\.finished) }

    /// Reads the whole body, refusing it with 413 as soon as its declared length or the bytes received exceed
    /// `limit`, and with 503 when the bodies held at once would pass the budget.
    func read(upTo limit: Int) async throws(FunctionError) -> Data {
        guard Self.hasContent(self.request.head) else { return Data() }
        var request = self.request
        if let declared = self.declaredLength {
            guard declared <= limit else { throw Self.tooLarge(limit: limit) }
            try self.reserve(declared)
        } else {
            // A body of unknown length takes from the budget as it arrives, so that stalled uploads hold only
            // what they sent.
            request.body = RequestBody(
                asyncSequence: request.body.map { @Sendable chunk in
                    try self.reserve(chunk.readableBytes)
                    return chunk
                }
            )
        }
        let timeout = self.timeout
        let buffer: ByteBuffer
        do {
            buffer = try await withDeadline(.now.advanced(by: timeout)) { [request] in
                var request = request
                return try await request.collectBody(upTo: limit)
            }
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(limit: limit)
        } catch let error as FunctionError {
            throw error
        } catch {
            throw FunctionError(
                .requestTimeout,
                "the request body did not arrive within \(timeout.components.seconds) s (the request timeout)"
            )
        }
        self.state.withLock { $0.finished = true }
        return Data(buffer.readableBytesView)
    }

    /// Gives back what the body held of the budget; call once the invocation has finished with it.
    func release() {
        let reserved = self.state.withLock { state in
            defer { state.reserved = 0 }
            return state.reserved
        }
        self.budget.release(reserved)
    }

    static func tooLarge(limit: Int) -> FunctionError {
        guard limit > 0 else { return FunctionError(.payloadTooLarge, "this function accepts no request body") }
        return FunctionError(.payloadTooLarge, "the request body exceeds the limit of \(limit) bytes")
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
