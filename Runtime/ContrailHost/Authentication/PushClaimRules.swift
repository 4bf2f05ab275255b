import ContrailKit
import JWTKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The claim checks shared by the `platform` and `oidc` modes, in the order that gives each failure its status:
/// a token that is not Google's or not current is unauthenticated (401); a current Google token for another
/// audience or account is not permitted (403).
struct PushClaimRules: Sendable {
    /// The issuers of Google-signed OIDC tokens.
    static let issuers: Set<String> = ["https://accounts.google.com", "accounts.google.com"]
    /// Clock skew tolerated on `exp`, `iat` and `nbf`.
    static let leeway: TimeInterval = 30

    /// The accepted `aud`s; empty accepts any.
    let audiences: Set<String>
    /// The allowed `email`s, lowercased; empty allows any verified email.
    let serviceAccounts: Set<String>

    init(audiences: Set<String>, serviceAccounts: Set<String>) {
        self.audiences = audiences
        self.serviceAccounts = Set(serviceAccounts.map { $0.lowercased() })
    }

    func identity(from claims: PushClaims, now timestamp: Timestamp) throws(FunctionError) -> PushIdentity {
        let now = timestamp.date
        guard let issuer = claims.issuer?.value, Self.issuers.contains(issuer) else {
            throw FunctionError(
                .unauthenticated,
                "the token was not issued by Google: 'iss' must be https://accounts.google.com or accounts.google.com"
            )
        }
        guard let expires = claims.expires?.value else {
            throw FunctionError(.unauthenticated, "the token has no expiry ('exp'); Pub/Sub's tokens always have one")
        }
        guard now.timeIntervalSince(expires) < Self.leeway else {
            throw FunctionError(
                .unauthenticated,
                "the token has expired; Pub/Sub signs a fresh one for each delivery, so check this host's clock"
            )
        }
        guard let issuedAt = claims.issuedAt?.value else {
            throw FunctionError(
                .unauthenticated,
                "the token has no issue time ('iat'); Pub/Sub's tokens always have one"
            )
        }
        guard issuedAt.timeIntervalSince(now) <= Self.leeway else {
            throw FunctionError(.unauthenticated, "the token is issued in the future ('iat'); check this host's clock")
        }
        // Optional, as Google's tokens carry none, but a token that says it is not valid yet is not valid.
        if let notBefore = claims.notBefore?.value, notBefore.timeIntervalSince(now) > Self.leeway {
            throw FunctionError(.unauthenticated, "the token is not valid yet ('nbf'); check this host's clock")
        }

        let audiences = claims.audience?.value ?? []
        if !self.audiences.isEmpty {
            guard !audiences.isEmpty, audiences.allSatisfy({ self.audiences.contains($0) }) else {
                throw FunctionError(
                    .permissionDenied,
                    "the token is for another audience: set the push subscription's oidcToken.audience to the "
                        + "value of PUSH_AUDIENCE"
                )
            }
        }
        guard let email = claims.email, !email.isEmpty else {
            throw FunctionError(
                .permissionDenied,
                "the token names no service account ('email'): set oidcToken.serviceAccountEmail on the push subscription"
            )
        }
        if !self.serviceAccounts.isEmpty, !self.serviceAccounts.contains(email.lowercased()) {
            throw FunctionError(
                .permissionDenied,
                "the service account \(email) may not push here: add it to PUSH_SERVICE_ACCOUNTS or have the "
                    + "subscription use one listed there"
            )
        }
        guard claims.emailVerified?.value == true else {
            throw FunctionError(.permissionDenied, "the token's email is not verified ('email_verified' is not true)")
        }
        return PushIdentity(email: email, subject: claims.subject?.value, audience: audiences.first)
    }
}
