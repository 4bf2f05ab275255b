import ContrailKit
package import Foundation

/// A failure in Google's `google.rpc.Status` terms, rendered once as the REST error body.
public struct PubSubError: Error, Sendable, Equatable {
    public let code: Int
    public let status: String
    public let reason: String
    public let message: String

    package init(code: Int, status: String, reason: String, message: String) {
        self.code = code
        self.status = status
        self.reason = reason
        self.message = message
    }

    package static func notFound(_ resource: String) -> PubSubError {
        PubSubError(
            code: 404,
            status: "NOT_FOUND",
            reason: "notFound",
            message: "Resource not found (resource=\(resource))."
        )
    }

    package static func alreadyExists(_ resource: String) -> PubSubError {
        PubSubError(
            code: 409,
            status: "ALREADY_EXISTS",
            reason: "alreadyExists",
            message: "Resource already exists in the project (resource=\(resource))."
        )
    }

    package static func invalid(_ message: String) -> PubSubError {
        PubSubError(code: 400, status: "INVALID_ARGUMENT", reason: "badRequest", message: message)
    }

    /// The request is valid but the resource is not in the state it needs (google.rpc FAILED_PRECONDITION).
    package static func failedPrecondition(_ message: String) -> PubSubError {
        PubSubError(code: 400, status: "FAILED_PRECONDITION", reason: "failedPrecondition", message: message)
    }

    package static func permissionDenied(_ message: String) -> PubSubError {
        PubSubError(code: 403, status: "PERMISSION_DENIED", reason: "forbidden", message: message)
    }

    package static func internalError(_ message: String) -> PubSubError {
        PubSubError(code: 500, status: "INTERNAL", reason: "backendError", message: message)
    }

    /// `{"error":{"code","message","status","errors":[{"message","domain","reason"}]}}`
    package var json: Data {
        GoogleErrorBody(
            .init(
                code: self.code,
                message: self.message,
                status: self.status,
                errors: [.init(message: self.message, domain: "global", reason: self.reason)]
            )
        ).encoded()
    }
}
