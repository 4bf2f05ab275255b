import ContrailKit
import HTTPTypes
import JWTKit

/// The JWT of an `Authorization: Bearer <token>` header, split and decoded but not yet trusted.
struct BearerToken {
    /// The compact token, exactly as sent.
    let compact: String
    let header: JWTHeader
    let claims: PushClaims

    /// - Parameters:
    ///   - missing: what to tell a sender whose request has no Authorization header.
    ///   - ignoringSignature: decode without looking at the signature segment, which Cloud Run replaces with
    ///     `SIGNATURE_REMOVED_BY_GOOGLE` once its IAM check has passed.
    init(_ headerFields: HTTPFields, missing: String, ignoringSignature: Bool = false) throws(FunctionError) {
        guard let authorization = headerFields[.authorization] else {
            throw FunctionError(.unauthenticated, missing)
        }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw FunctionError(.unauthenticated, "the Authorization header must be 'Bearer <token>'")
        }
        let compact = parts[1].trimmingPrefix(while: { $0 == " " })
        let segments = compact.split(separator: ".", omittingEmptySubsequences: false)
        let notAJWT = FunctionError(
            .unauthenticated,
            "the bearer token is not a JWT (three base64url segments separated by dots)"
        )
        guard segments.count == 3, !segments[0].isEmpty, !segments[1].isEmpty else { throw notAJWT }
        // The parser decodes every segment; a signature that is not to be checked is left out of the decoding.
        let decoded = ignoringSignature ? "\(segments[0]).\(segments[1])." : String(compact)
        do {
            let parsed = try DefaultJWTParser().parse(Array(decoded.utf8), as: PushClaims.self)
            self.header = parsed.header
            self.claims = parsed.payload
        } catch {
            throw notAJWT
        }
        // RFC 7515 §4.1.11: a token whose `crit` names an extension the recipient does not understand must be
        // rejected, and this host understands none; Google's tokens carry no `crit`.
        if self.header.fields["crit"] != nil {
            throw FunctionError(
                .unauthenticated,
                "the token's header has 'crit' (critical extensions), which this host does not support"
            )
        }
        self.compact = String(compact)
    }
}
