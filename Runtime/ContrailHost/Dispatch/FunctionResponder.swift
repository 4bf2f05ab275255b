import ContrailKit
import Deadline
import HTTPTypes
import Hummingbird
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The end of a function's route: checks the head, reads the body, runs the handler within its deadline and
/// turns how it ended into a status. A message function acknowledges with 204 only once its handler has
/// returned.
struct FunctionResponder: HTTPResponder {
    typealias Context = HostRequestContext

    static let googleStatusHeader = HTTPField.Name("x-google-status")!

    /// Authenticates pushes to message functions; `nil` accepts every push (`PUSH_AUTH=none`).
    let pushVerifier: (any PushVerifier)?
    let bodyBudget: BodyMemoryBudget
    let requestTimeout: Duration

    func respond(to request: Request, context: Context) async throws -> Response {
        guard let invocation = context.invocation else { throw HTTPError(.internalServerError) }
        let body = RequestBodyReader(request, budget: self.bodyBudget, timeout: self.requestTimeout)
        let response: FunctionResponse
        switch invocation.function.kind {
        case .message(let handler):
            response = await self.deliver(invocation, to: handler, body: body)
        case .http(let handler):
            response = await self.call(invocation, handler, body: body)
        }
        // Otherwise the rest of an upload would have to be read and thrown away to find the next request.
        let closing = !body.wasReadToTheEnd
        body.release()
        return response.hummingbirdResponse(closingConnection: closing)
    }

    private func deliver(
        _ invocation: Invocation,
        to handler: any MessageFunction,
        body: RequestBodyReader
    ) async -> FunctionResponse {
        guard invocation.head.method == .post else {
            let error = FunctionError(
                .methodNotAllowed,
                "a message function accepts POST only, not \(invocation.head.method)"
            )
            return ErrorBody.response(error, headers: [.allow: "POST"])
        }
        if let verifier = self.pushVerifier {
            do {
                if let identity = try await verifier.verify(invocation.head.headerFields) {
                    invocation.update { $0.logger[metadataKey: "push_email"] = .string(identity.email) }
                }
            } catch {
                // RFC 6750: a 401 names the scheme the caller must use.
                let headers: HTTPFields = error.code == .unauthenticated ? [.wwwAuthenticate: "Bearer"] : [:]
                return Self.failure(error, of: invocation, headers: headers)
            }
        }
        let bytes: Data
        do {
            bytes = try await Self.read(body, for: invocation)
        } catch {
            return Self.failure(error, of: invocation)
        }
        let message: PubSubMessage
        do {
            let decoder =
                invocation.function.trigger.map(DeliveryDecoder.init(trigger:))
                ?? DeliveryDecoder(acceptsUnwrappedPayloads: invocation.function.options.acceptsUnwrappedPayloads)
            message = try decoder.decode(head: invocation.head, body: bytes)
        } catch {
            invocation.update { $0.failure = String(describing: error) }
            return ErrorBody.response(error.functionError)
        }
        invocation.update { report in
            report.message = message
            report.logger[metadataKey: "message_id"] = .string(message.id)
            if let attempt = message.deliveryAttempt { report.logger[metadataKey: "delivery_attempt"] = "\(attempt)" }
        }
        let context = FunctionContext(
            logger: invocation.logger,
            functionName: invocation.function.name,
            trace: invocation.trace,
            deliveryAttempt: message.deliveryAttempt,
            deadline: invocation.deadline
        )
        do {
            try await withDeadline(invocation.deadline) { try await handler.onMessage(message, context: context) }
            return FunctionResponse(status: .noContent)
        } catch {
            var response = Self.failure(error, of: invocation)
            if response.status.kind == .serverError { response.headerFields[Self.googleStatusHeader] = "error" }
            return response
        }
    }

    private func call(
        _ invocation: Invocation,
        _ handler: any HTTPFunction,
        body: RequestBodyReader
    ) async -> FunctionResponse {
        if let methods = invocation.function.options.methods, !methods.contains(invocation.head.method) {
            let allowed = methods.map(\.rawValue).sorted().joined(separator: ", ")
            let error = FunctionError(
                .methodNotAllowed,
                "this function accepts \(allowed), not \(invocation.head.method)"
            )
            return ErrorBody.response(error, headers: [.allow: allowed])
        }
        let bytes: Data
        do {
            bytes = try await Self.read(body, for: invocation)
        } catch {
            return Self.failure(error, of: invocation)
        }
        var head = invocation.head
        head.path = invocation.subpath
        let request = FunctionRequest(head: head, body: bytes)
        let context = FunctionContext(
            logger: invocation.logger,
            functionName: invocation.function.name,
            trace: invocation.trace,
            deadline: invocation.deadline
        )
        do {
            return try await withDeadline(invocation.deadline) { try await handler.onHTTP(request, context: context) }
        } catch {
            return Self.failure(error, of: invocation)
        }
    }

    /// Reads the body within the invocation's limit, and notes its size for the log line.
    private static func read(_ body: RequestBodyReader, for invocation: Invocation) async throws(FunctionError) -> Data
    {
        let bytes = try await body.read(upTo: invocation.bodyLimit)
        invocation.update { $0.requestSize = bytes.count }
        return bytes
    }

    /// The one place a thrown error becomes a status: a ``FunctionError`` chooses its own, a missed deadline is
    /// 504, anything else is a 500 whose details stay in the log.
    private static func failure(
        _ error: any Error,
        of invocation: Invocation,
        headers: HTTPFields = [:]
    ) -> FunctionResponse {
        invocation.update { $0.failure = String(describing: error) }
        let shown: FunctionError
        switch error {
        case let error as FunctionError:
            shown = error
        case is DeadlineExceeded:
            shown = FunctionError(.deadlineExceeded, "the function did not finish within its deadline")
        default:
            shown = FunctionError(.internalError, "the function failed; see the logs for details")
        }
        return ErrorBody.response(shown, headers: headers)
    }
}
