public import HTTPTypes

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What an ``HTTPFunction`` answers.
public struct FunctionResponse: Sendable {
    public var status: HTTPResponse.Status
    public var headerFields: HTTPFields
    public var body: Data

    public init(status: HTTPResponse.Status = .ok, headerFields: HTTPFields = [:], body: Data = Data()) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }

    /// A response whose body is `value` encoded as JSON, with `Content-Type: application/json`.
    public static func json(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        encoder: JSONEncoder = FunctionResponse.defaultJSONEncoder
    ) throws -> FunctionResponse {
        FunctionResponse(
            status: status,
            headerFields: [.contentType: "application/json"],
            body: try encoder.encode(value)
        )
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ text: String, status: HTTPResponse.Status = .ok) -> FunctionResponse {
        FunctionResponse(
            status: status,
            headerFields: [.contentType: "text/plain; charset=utf-8"],
            body: Data(text.utf8)
        )
    }

    /// Stable key order keeps responses diffable and cacheable; slashes are left as they are.
    public static var defaultJSONEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
