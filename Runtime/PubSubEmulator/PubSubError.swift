import ContrailKit
import Foundation

/// A failure in Google's `google.rpc.Status` terms, rendered once as the REST error body.
public struct PubSubError: Error, Sendable, Equatable {
    public let code: Int
    public let status: String
    public let reason: String
    public let message: String

    static func notFound(_ resource: String) -> PubSubError {
        PubSubError(
            code: 404,
            status: "NOT_FOUND",
            reason: "notFound",
            message: "Resource not found (resource=\(resource))."
        )
    }

    static func alreadyExists(_ resource: String) -> PubSubError {
        PubSubError(
            code: 409,
            status: "ALREADY_EXISTS",
            reason: "alreadyExists",
            message: "Resource already exists in the project (resource=\(resource))."
        )
    }

    static func invalid(_ message: String) -> PubSubError {
        PubSubError(code: 400, status: "INVALID_ARGUMENT", reason: "badRequest", message: message)
    }

    static func permissionDenied(_ message: String) -> PubSubError {
        PubSubError(code: 403, status: "PERMISSION_DENIED", reason: "forbidden", message: message)
    }

    static func internalError(_ message: String) -> PubSubError {
        PubSubError(code: 500, status: "INTERNAL", reason: "backendError", message: message)
    }

    /// `{"error":{"code","message","status","errors":[{"message","domain","reason"}]}}`
    var json: Data {
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
