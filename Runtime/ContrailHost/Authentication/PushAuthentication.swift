#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// How the host authenticates Pub/Sub push requests to message functions (`PUSH_AUTH` and its companions).
///
/// HTTP functions are never affected: they receive their requests as they come.
public struct PushAuthentication: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Every push is accepted, as from the local emulator, which sends no token.
        case none
        /// Cloud Run IAM has checked the token and replaced its signature with `SIGNATURE_REMOVED_BY_GOOGLE`:
        /// the claims are read and checked, the signature is not.
        case platform
        /// The token's RS256 signature is verified against the keys at ``PushAuthentication/jwksURL``.
        case oidc
    }

    /// Google's signing keys for the OIDC tokens Pub/Sub sends.
    public static let googleJWKSURL = URL(string: "https://www.googleapis.com/oauth2/v3/certs")!

    /// `PUSH_AUTH`.
    public var mode: Mode = .none
    /// The `aud`s a token may carry (`PUSH_AUDIENCE`, comma-separated): one per push subscription whose pushes this
    /// host receives. Required under ``Mode/oidc``, checked when set under ``Mode/platform``.
    public var audiences: Set<String> = []
    /// The service accounts allowed to push (`PUSH_SERVICE_ACCOUNTS`); empty allows any verified email.
    public var serviceAccounts: Set<String> = []
    /// Where ``Mode/oidc`` fetches the signing keys (`PUSH_JWKS_URL`).
    public var jwksURL: URL = PushAuthentication.googleJWKSURL

    public init(
        mode: Mode = .none,
        audiences: Set<String> = [],
        serviceAccounts: Set<String> = [],
        jwksURL: URL = PushAuthentication.googleJWKSURL
    ) {
        self.mode = mode
        self.audiences = audiences
        self.serviceAccounts = serviceAccounts
        self.jwksURL = jwksURL
    }

    /// Throws when the settings cannot be enforced as written, naming the variable to fix.
    public func validate() throws(ConfigurationError) {
        switch self.mode {
        case .none:
            // A restriction that would silently not be enforced is a mistake, not a default.
            if !self.audiences.isEmpty {
                throw ConfigurationError(
                    variable: "PUSH_AUDIENCE",
                    value: self.audiences.sorted().joined(separator: ","),
                    expected: "to be unset while PUSH_AUTH is none (set PUSH_AUTH=oidc or platform to enforce it)"
                )
            }
            if !self.serviceAccounts.isEmpty {
                throw ConfigurationError(
                    variable: "PUSH_SERVICE_ACCOUNTS",
                    value: self.serviceAccounts.sorted().joined(separator: ","),
                    expected: "to be unset while PUSH_AUTH is none (set PUSH_AUTH=oidc or platform to enforce it)"
                )
            }
        case .platform:
            break
        case .oidc:
            if self.audiences.isEmpty {
                throw ConfigurationError(
                    variable: "PUSH_AUDIENCE",
                    value: "",
                    expected: "the audience of the push subscription's OIDC token (by default its push endpoint "
                        + "URL); PUSH_AUTH=oidc requires it"
                )
            }
        }
        guard Self.isHTTPURL(self.jwksURL) else {
            throw ConfigurationError(
                variable: "PUSH_JWKS_URL",
                value: self.jwksURL.absoluteString,
                expected: "an http:// or https:// URL with a host, e.g. \(Self.googleJWKSURL.absoluteString)"
            )
        }
    }

    static func isHTTPURL(_ url: URL) -> Bool {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return false }
        return !(url.host ?? "").isEmpty
    }
}
