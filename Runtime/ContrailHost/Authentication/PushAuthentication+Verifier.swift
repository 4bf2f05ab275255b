import ContrailKit

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
