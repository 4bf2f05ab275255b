#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ContrailKit
import HTTPTypes
import Logging

/// One call of one function, and how it ended.
struct Invocation {
    struct Outcome {
        var response: FunctionResponse
        var logger: Logger
        var message: PubSubMessage?
        /// Kept for the log line only; never sent to the client.
        var failure: (any Error)?
        /// The bytes of the body read; 0 when the request was refused on its head.
        var requestSize = 0
    }

    static let googleStatusHeader = HTTPField.Name("x-google-status")!

    let function: RegisteredFunction
    let head: HTTPRequest
    let body: IncomingBody
    /// The largest body this invocation reads: the function's own limit within the host's.
    let bodyLimit: Int
    let trace: TraceContext?
    let deadline: ContinuousClock.Instant

    /// A message function acknowledges with 204 only once its handler has returned. A push that `verifier`
    /// refuses is answered before its body is read, and its handler does not run.
    func deliver(to handler: any MessageFunction, verifier: (any PushVerifier)?, logger: Logger) async -> Outcome {
        var logger = logger
        guard self.head.method == .post else {
            let error = FunctionError(.methodNotAllowed, "a message function accepts POST only, not \(self.head.method)")
            return Outcome(response: ErrorBody.response(error, headers: [.allow: "POST"]), logger: logger)
        }
        if let verifier {
            do {
                if let identity = try await verifier.verify(self.head.headerFields) {
                    logger[metadataKey: "push_email"] = .string(identity.email)
                }
            } catch {
                // RFC 6750: a 401 names the scheme the caller must use.
                let headers: HTTPFields = error.code == .unauthenticated ? [.wwwAuthenticate: "Bearer"] : [:]
                return Outcome(response: ErrorBody.response(error, headers: headers), logger: logger, failure: error)
            }
        }
        let body: Data
        do {
            body = try await self.body.read(upTo: self.bodyLimit)
        } catch {
            return self.failure(error, logger: logger)
        }
        let message: PubSubMessage
        do {
            let decoder =
                self.function.trigger.map(DeliveryDecoder.init(trigger:))
                ?? DeliveryDecoder(acceptsUnwrappedPayloads: self.function.options.acceptsUnwrappedPayloads)
            message = try decoder.decode(head: self.head, body: body)
        } catch {
            var outcome = Outcome(response: ErrorBody.response(error.functionError), logger: logger, failure: error)
            outcome.requestSize = body.count
            return outcome
        }
        logger[metadataKey: "message_id"] = .string(message.id)
        if let attempt = message.deliveryAttempt { logger[metadataKey: "delivery_attempt"] = "\(attempt)" }

        let context = FunctionContext(
            logger: logger,
            functionName: self.function.name,
            trace: self.trace,
            deliveryAttempt: message.deliveryAttempt,
            deadline: self.deadline
        )
        do {
            try await withDeadline(self.deadline) { try await handler.onMessage(message, context: context) }
            return Outcome(
                response: FunctionResponse(status: .noContent), logger: logger, message: message, requestSize: body.count
            )
        } catch {
            var outcome = self.failure(error, logger: logger)
            outcome.message = message
            outcome.requestSize = body.count
            if outcome.response.status.kind == .serverError {
                outcome.response.headerFields[Self.googleStatusHeader] = "error"
            }
            return outcome
        }
    }

    func call(_ handler: any HTTPFunction, subpath: String, logger: Logger) async -> Outcome {
        if let methods = self.function.options.methods, !methods.contains(self.head.method) {
            let allowed = methods.map(\.rawValue).sorted().joined(separator: ", ")
            let error = FunctionError(.methodNotAllowed, "this function accepts \(allowed), not \(self.head.method)")
            return Outcome(response: ErrorBody.response(error, headers: [.allow: allowed]), logger: logger)
        }
        let body: Data
        do {
            body = try await self.body.read(upTo: self.bodyLimit)
        } catch {
            return self.failure(error, logger: logger)
        }
        var head = self.head
        head.path = subpath
        let request = FunctionRequest(head: head, body: body)
        let context = FunctionContext(
            logger: logger,
            functionName: self.function.name,
            trace: self.trace,
            deadline: self.deadline
        )
        do {
            let response = try await withDeadline(self.deadline) { try await handler.onHTTP(request, context: context) }
            return Outcome(response: response, logger: logger, requestSize: body.count)
        } catch {
            var outcome = self.failure(error, logger: logger)
            outcome.requestSize = body.count
            return outcome
        }
    }

    /// The one place a thrown error becomes a status: a ``FunctionError`` chooses its own, a missed deadline is
    /// 504, anything else is a 500 whose details stay in the log.
    private func failure(_ error: any Error, logger: Logger) -> Outcome {
        let shown: FunctionError
        switch error {
        case let error as FunctionError:
            shown = error
        case is DeadlineExceeded:
            shown = FunctionError(.deadlineExceeded, "the function did not finish within its deadline")
        default:
            shown = FunctionError(.internalError, "the function failed; see the logs for details")
        }
        return Outcome(response: ErrorBody.response(shown), logger: logger, failure: error)
    }
}
