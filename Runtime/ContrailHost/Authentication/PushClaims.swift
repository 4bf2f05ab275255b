import JWTKit

/// The claims of a Pub/Sub push token that the host checks, each optional so that a missing one is reported by
/// ``PushClaimRules`` with the status it deserves rather than as an undecodable token.
struct PushClaims: JWTPayload {
    enum CodingKeys: String, CodingKey {
        case issuer = "iss"
        case audience = "aud"
        case expires = "exp"
        case issuedAt = "iat"
        case notBefore = "nbf"
        case subject = "sub"
        case email
        case emailVerified = "email_verified"
    }

    var issuer: IssuerClaim?
    var audience: AudienceClaim?
    var expires: ExpirationClaim?
    var issuedAt: IssuedAtClaim?
    var notBefore: NotBeforeClaim?
    var subject: SubjectClaim?
    var email: String?
    var emailVerified: BoolClaim?

    /// Nothing here: ``PushClaimRules`` checks the claims after the signature, so that each failure maps to 401
    /// or 403 as the contract says, and the platform mode, which has no signature to check, shares the rules.
    func verify(using _: some JWTAlgorithm) async throws {}
}
