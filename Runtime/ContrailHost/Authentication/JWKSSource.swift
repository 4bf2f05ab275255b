public import JWTKit

/// Where ``OIDCPushVerifier`` gets its signing keys: over HTTP in production (``HTTPJWKSSource``), handed in
/// directly by tests.
public protocol JWKSSource: Sendable {
    /// Fetches the current key set. Any error is answered 503, so that Pub/Sub retries the delivery.
    func fetchKeys() async throws -> JWKSResponse
}

/// A key set and how long it may be cached.
public struct JWKSResponse: Sendable {
    public var keys: JWKS
    /// From the response's `Cache-Control: max-age`; `nil` keeps the keys for an hour.
    public var maxAge: Duration?

    public init(keys: JWKS, maxAge: Duration? = nil) {
        self.keys = keys
        self.maxAge = maxAge
    }
}

/// Why the signing keys could not be had; shown in the 503 answer, so it names no internals.
struct JWKSFetchError: Error, CustomStringConvertible {
    let description: String
}
