public import ContrailKit
public import HTTPTypes
import JWTKit

/// `PUSH_AUTH=oidc`: verifies the push subscription's OIDC token itself: its RS256 signature by `kid` against
/// the published keys, then its claims (issuer, expiry, issue and not-before times, audience, service account,
/// verified email).
public struct OIDCPushVerifier: PushVerifier {
    let rules: PushClaimRules
    let keys: JWKSCache
    let clock: WallClock

    /// - Parameters:
    ///   - audience: the required `aud`, as set in the subscription's `oidcToken.audience`.
    ///   - serviceAccounts: the allowed `email`s; empty allows any verified email.
    ///   - source: where the signing keys come from, e.g. ``HTTPJWKSSource``.
    ///   - clock: the time tokens are checked against, and that keeps how long keys are cached and how often an
    ///     unknown `kid` may refetch them.
    public init(
        audience: String,
        serviceAccounts: Set<String> = [],
        source: any JWKSSource,
        clock: WallClock = .system
    ) {
        self.init(
            rules: PushClaimRules(audiences: [audience], serviceAccounts: serviceAccounts),
            source: source,
            clock: clock
        )
    }

    init(rules: PushClaimRules, source: any JWKSSource, clock: WallClock = .system) {
        self.rules = rules
        self.keys = JWKSCache(source: source, clock: clock)
        self.clock = clock
    }

    public func verify(_ headerFields: HTTPFields) async throws(FunctionError) -> PushIdentity? {
        let token = try BearerToken(
            headerFields,
            missing: "this message function requires the push subscription's OIDC token in "
                + "'Authorization: Bearer <token>': set oidcToken on the subscription"
        )
        guard token.header.alg == "RS256" else {
            throw FunctionError(.unauthenticated, "the token is not signed with RS256, as Google's tokens are")
        }
        guard let kid = token.header.kid, !kid.isEmpty else {
            throw FunctionError(.unauthenticated, "the token's header names no signing key ('kid')")
        }
        guard let collection = try await self.keys.keys(including: kid) else {
            throw FunctionError(
                .unauthenticated,
                "the token's signing key ('kid') is not among the keys published at PUSH_JWKS_URL"
            )
        }
        let claims: PushClaims
        do {
            claims = try await collection.verify(token.compact, as: PushClaims.self)
        } catch {
            throw FunctionError(.unauthenticated, "the token's signature does not verify against the key it names")
        }
        return try self.rules.identity(from: claims, now: self.clock.now())
    }
}
