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

extension PushAuthentication {
    /// The verifier these settings describe, or `nil` under ``Mode/none``.
    ///
    /// - Throws: ``ConfigurationError`` when the settings cannot be enforced (see ``validate()``).
    public func makeVerifier() throws(ConfigurationError) -> (any PushVerifier)? {
        try self.validate()
        let rules = PushClaimRules(audiences: self.audiences, serviceAccounts: self.serviceAccounts)
        switch self.mode {
        case .none:
            return nil
        case .platform:
            return PlatformPushVerifier(rules: rules)
        case .oidc:
            return OIDCPushVerifier(rules: rules, source: HTTPJWKSSource(url: self.jwksURL))
        }
    }
}
