public import ContrailKit
public import HTTPTypes

/// Decides whether a push request may reach its message function, before its body is decoded.
public protocol PushVerifier: Sendable {
    /// - Returns: who sent the push, or `nil` when this verifier does not authenticate pushes.
    /// - Throws: a ``FunctionError`` that is the answer: `unauthenticated` (401) for a missing, malformed,
    ///   forged or expired token; `permissionDenied` (403) for a valid token that is not allowed here;
    ///   `unavailable` (503) when the signing keys cannot be fetched. Its message never echoes the token.
    func verify(_ headerFields: HTTPFields) async throws(FunctionError) -> PushIdentity?
}
