public import ContrailKit
public import HTTPTypes

/// `PUSH_AUTH=platform`: Cloud Run IAM (`--no-allow-unauthenticated`, `roles/run.invoker`) has verified the
/// token, so only its claims are read and checked; the signature, which Cloud Run replaces with
/// `SIGNATURE_REMOVED_BY_GOOGLE`, is not.
public struct PlatformPushVerifier: PushVerifier {
    let rules: PushClaimRules
    let clock: WallClock

    /// - Parameters:
    ///   - audience: the required `aud`; `nil` accepts any.
    ///   - serviceAccounts: the allowed `email`s; empty allows any verified email.
    ///   - clock: the time the token's `exp`, `iat` and `nbf` are checked against.
    public init(audience: String? = nil, serviceAccounts: Set<String> = [], clock: WallClock = .system) {
        self.init(
            rules: PushClaimRules(audiences: audience.map { [$0] } ?? [], serviceAccounts: serviceAccounts),
            clock: clock
        )
    }

    init(rules: PushClaimRules, clock: WallClock = .system) {
        self.rules = rules
        self.clock = clock
    }

    public func verify(_ headerFields: HTTPFields) async throws(FunctionError) -> PushIdentity? {
        let token = try BearerToken(
            headerFields,
            missing: "this message function requires the push subscription's OIDC token, which Cloud Run forwards "
                + "in 'Authorization: Bearer <token>': set oidcToken on the subscription and deploy the service "
                + "with --no-allow-unauthenticated",
            ignoringSignature: true
        )
        return try self.rules.identity(from: token.claims, now: self.clock.now())
    }
}
