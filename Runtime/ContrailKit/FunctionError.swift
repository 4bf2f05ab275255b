public import HTTPTypes

/// An error a function throws to choose the status the host answers with.
///
/// Any other error is an internal failure: the host answers 500 and keeps its description out of the body.
public struct FunctionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure a caller can act on, each with its HTTP status and Google API status name.
    public struct Code: Sendable, Hashable {
        public let status: HTTPResponse.Status
        /// The `google.rpc.Code` name used in the error body, e.g. `INVALID_ARGUMENT`.
        public let name: String

        public static let badRequest = Code(status: .badRequest, name: "INVALID_ARGUMENT")
        public static let unauthenticated = Code(status: .unauthorized, name: "UNAUTHENTICATED")
        public static let permissionDenied = Code(status: .forbidden, name: "PERMISSION_DENIED")
        public static let notFound = Code(status: .notFound, name: "NOT_FOUND")
        public static let methodNotAllowed = Code(status: .methodNotAllowed, name: "UNIMPLEMENTED")
        public static let conflict = Code(status: .conflict, name: "ALREADY_EXISTS")
        public static let payloadTooLarge = Code(status: .contentTooLarge, name: "OUT_OF_RANGE")
        public static let internalError = Code(status: .internalServerError, name: "INTERNAL")
        public static let unavailable = Code(status: .serviceUnavailable, name: "UNAVAILABLE")
        public static let deadlineExceeded = Code(status: .gatewayTimeout, name: "DEADLINE_EXCEEDED")
        /// The client did not finish sending its request in time.
        public static let requestTimeout = Code(status: .requestTimeout, name: "DEADLINE_EXCEEDED")
    }

    public let code: Code
    /// Shown to the caller in the error body: say what was wrong and how to fix it.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code.status.code) \(self.code.name): \(self.message)" }
}
