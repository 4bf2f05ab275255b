public import ContrailKit
import ExtrasBase64
public import Foundation
public import JWTKit
public import _CryptoExtras

/// Signs the OIDC tokens the service attaches to pushes of subscriptions with `pushConfig.oidcToken`, as Google
/// signs them, and publishes the public key as a JWKS so that a host can verify them (`PUSH_AUTH=oidc`).
///
/// The key lives as long as the process: a verifier meets the new `kid` after a restart and refetches the keys.
public actor PushTokenSigner {
    /// Google's issuer for the tokens Pub/Sub attaches to pushes.
    public static let issuer = "https://accounts.google.com"
    /// Where the service publishes the key, the path of Google's own key set.
    public static let jwksPath = "/oauth2/v3/certs"
    /// Tokens are valid for an hour, as Google's are; a cached one is reused for at most ten minutes so that a
    /// receiver never sees one close to expiry.
    static let lifetime: TimeInterval = 3600
    static let reuse: TimeInterval = 600

    public nonisolated let keyID: String
    private let keys = JWTKeyCollection()
    private var signingKey: (privateKey: JWTKit.Insecure.RSA.PrivateKey, jwks: Data)?
    private var registered = false
    private var cache: [String: (token: String, issued: Date)] = [:]
    private let clock: WallClock

    /// A signer under a random `kid`. Its RSA-2048 key is generated on first use: generation takes a noticeable
    /// moment of CPU, and most local services never sign a token.
    public init(clock: WallClock = .system) {
        self.keyID = UUID().uuidString.lowercased()
        self.clock = clock
    }

    /// Signs with `backing` under `keyID`; tests use it to forge tokens with a known key.
    public init(backing: _RSA.Signing.PrivateKey, keyID: String, clock: WallClock = .system) throws {
        self.keyID = keyID
        self.clock = clock
        self.signingKey = try Self.signingKey(backing: backing, keyID: keyID)
    }

    /// The public key as a JWKS document, as Google serves its own.
    public func publicKeySet() throws -> Data {
        try self.key().jwks
    }

    private func key() throws -> (privateKey: JWTKit.Insecure.RSA.PrivateKey, jwks: Data) {
        if let signingKey { return signingKey }
        let generated = try Self.signingKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048), keyID: self.keyID)
        self.signingKey = generated
        return generated
    }

    private static func signingKey(
        backing: _RSA.Signing.PrivateKey,
        keyID: String
    ) throws -> (privateKey: JWTKit.Insecure.RSA.PrivateKey, jwks: Data) {
        let privateKey = try JWTKit.Insecure.RSA.PrivateKey(backing: backing)
        let primitives = try privateKey.publicKey.getKeyPrimitives()
        let key = KeySet.Key(
            kid: keyID,
            n: Self.base64URL(primitives.modulus),
            e: Self.base64URL(primitives.publicExponent)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (privateKey, try encoder.encode(KeySet(keys: [key])))
    }

    /// A token for `audience` naming `serviceAccount`, reused while it is fresh.
    public func token(audience: String, serviceAccount: String) async throws -> String {
        let now = self.clock.now().date
        let cacheKey = "\(audience)\u{0}\(serviceAccount)"
        if let cached = self.cache[cacheKey], now.timeIntervalSince(cached.issued) < Self.reuse,
            now >= cached.issued
        {
            return cached.token
        }
        let token = try await self.sign(
            PushTokenClaims(audience: audience, serviceAccount: serviceAccount, issuedAt: now)
        )
        self.cache[cacheKey] = (token, now)
        return token
    }

    /// Signs any claims with this key, uncached: tests use it for expired or foreign-audience tokens.
    public func sign(_ claims: PushTokenClaims) async throws -> String {
        if !self.registered {
            await self.keys.add(
                rsa: try self.key().privateKey,
                digestAlgorithm: .sha256,
                kid: JWKIdentifier(string: self.keyID)
            )
            self.registered = true
        }
        return try await self.keys.sign(claims, kid: JWKIdentifier(string: self.keyID))
    }

    /// A JWKS (RFC 7517) of RS256 signing keys, as Google publishes its own.
    private struct KeySet: Encodable {
        struct Key: Encodable {
            var kty = "RSA"
            var alg = "RS256"
            var use = "sig"
            var kid: String
            var n: String
            var e: String
        }

        var keys: [Key]
    }

    private static func base64URL(_ data: Data) -> String {
        Base64.encodeToString(bytes: data, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }
}

/// The claims of a push token, as Google's documentation shows one.
public struct PushTokenClaims: JWTPayload, Equatable {
    public var iss: String
    public var aud: String
    public var azp: String
    public var sub: String
    public var email: String
    public var email_verified: Bool
    public var iat: Int
    public var exp: Int

    public init(audience: String, serviceAccount: String, issuedAt: Date, lifetime: TimeInterval = 3600) {
        let id = Self.uniqueID(of: serviceAccount)
        self.iss = PushTokenSigner.issuer
        self.aud = audience
        self.azp = id
        self.sub = id
        self.email = serviceAccount
        self.email_verified = true
        self.iat = Int(issuedAt.timeIntervalSince1970)
        self.exp = self.iat + Int(lifetime)
    }

    /// Google identifies a service account by a 21-digit number; a stable one is derived from the email.
    static func uniqueID(of email: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in email.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash)
        return "1" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits.suffix(20)
    }

    public func verify(using _: some JWTAlgorithm) async throws {}
}
