import ContrailKit
import Crypto
import ExtrasBase64
import Foundation
import HTTPTypes

/// Strong validators for query answers, so that a client or a cache in front of the service that already holds an
/// answer can ask again with `If-None-Match` and get `304 Not Modified` instead of the body.
///
/// The tag is a digest of the answer's bytes, so every instance, on either store, gives the same answer the same
/// tag, and any change to the answer changes it. `Cache-Control: no-cache` lets caches keep answers but makes them
/// ask every time: a record committed a moment ago must be in the next answer.
enum EntityTag {
    /// `response` with its `ETag` and `Cache-Control`; an answer that is not a 200 is left as it is.
    static func tagged(_ response: FunctionResponse) -> FunctionResponse {
        guard response.status == .ok else { return response }
        let digest = Array(SHA256.hash(data: response.body).prefix(16))
        var response = response
        response.headerFields[.eTag] =
            "\"" + Base64.encodeToString(bytes: digest, options: [.base64UrlAlphabet, .omitPaddingCharacter]) + "\""
        response.headerFields[.cacheControl] = "no-cache"
        return response
    }

    /// The 304 that replaces a tagged `response` when `request` already holds its tag, else `response`.
    static func conditional(_ response: FunctionResponse, for request: FunctionRequest) -> FunctionResponse {
        let condition = request.headerFields[values: .ifNoneMatch]
        guard !condition.isEmpty, let tag = response.headerFields[.eTag], Self.matches(tag, condition) else {
            return response
        }
        var response = response
        response.status = .notModified
        response.headerFields[.contentType] = nil
        response.body.removeAll()
        return response
    }

    /// RFC 9110 §13.1.2: a list of tags or `*`, compared weakly (a `W/` prefix on either side is ignored).
    private static func matches(_ tag: String, _ fieldValues: [String]) -> Bool {
        for list in fieldValues {
            for candidate in list.split(separator: ",") {
                let candidate = candidate.trimmingCharacters(in: .whitespaces)
                if candidate == "*" { return true }
                let opaque = candidate.hasPrefix("W/") ? String(candidate.dropFirst(2)) : candidate
                if opaque == tag { return true }
            }
        }
        return false
    }
}
