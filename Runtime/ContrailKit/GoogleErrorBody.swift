#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The error body of Google's APIs: `{"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT"}}`, with the
/// older `errors` list where an API still writes one (Pub/Sub's REST API does).
public struct GoogleErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: Int
        public var message: String
        public var status: String
        public var errors: [Reason]?

        public init(code: Int, message: String, status: String, errors: [Reason]? = nil) {
            self.code = code
            self.message = message
            self.status = status
            self.errors = errors
        }
    }

    public struct Reason: Codable, Sendable, Equatable {
        public var message: String
        public var domain: String
        public var reason: String

        public init(message: String, domain: String, reason: String) {
            self.message = message
            self.domain = domain
            self.reason = reason
        }
    }

    public var error: Detail

    public init(_ error: Detail) {
        self.error = error
    }

    /// Keys sorted and slashes left alone, as Google writes them.
    public func encoded() -> Data {
        // Strings, integers and arrays of them always encode.
        (try? FunctionResponse.defaultJSONEncoder.encode(self)) ?? Data()
    }
}
