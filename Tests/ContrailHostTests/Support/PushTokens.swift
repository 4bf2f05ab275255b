import ContrailHost
import ContrailKit
import Foundation
import JWTKit
import Synchronization
import _CryptoExtras

/// The claims of a Pub/Sub push token, as Google's documentation shows one; every claim is optional so that a
/// test can leave any out, and times are whole seconds since 1970, as on the wire.
struct TokenClaims: JWTPayload {
    static let audience = "https://contrail.example.run.app/ingest"
    static let pusher = "pubsub-push@test-project.iam.gserviceaccount.com"

    var iss: String? = "https://accounts.google.com"
    var aud: String? = TokenClaims.audience
    var exp: Int? = Int(Date().timeIntervalSince1970) + 3600
    var iat: Int? = Int(Date().timeIntervalSince1970)
    var nbf: Int? = nil
    var sub: String? = "113774264463038321964"
    var email: String? = TokenClaims.pusher
    var email_verified: Bool? = true

    func verify(using _: some JWTAlgorithm) async throws {}
}

/// An RSA-2048 key pair that signs tokens under one `kid` and publishes its public half as a JWK.
struct SigningKey: Sendable {
    /// Generated once per test run: generating RSA keys is slow.
    static let first = SigningKey.generate()
    static let second = SigningKey.generate()

    let privateKey: JWTKit.Insecure.RSA.PrivateKey

    private static func generate() -> SigningKey {
        // swift-crypto's own generator; a failure here is a broken test environment.
        let backing = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
        return SigningKey(privateKey: try! JWTKit.Insecure.RSA.PrivateKey(backing: backing))
    }

    /// A compact RS256 JWT of `claims` whose header names `kid`, with any other `header` fields.
    func sign(
        _ claims: TokenClaims = TokenClaims(),
        kid: String,
        header: JWTHeader = JWTHeader()
    ) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: self.privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid), header: header)
    }

    /// The public key as a JWK, as Google publishes its keys.
    func jwk(kid: String) throws -> JWK {
        let primitives = try self.privateKey.publicKey.getKeyPrimitives()
        return JWK.rsa(
            .rs256,
            identifier: JWKIdentifier(string: kid),
            modulus: Self.base64URL(primitives.modulus),
            exponent: Self.base64URL(primitives.publicExponent)
        )
    }

    /// RFC 4648 §5 without padding, for building test keys only.
    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Hands keys to ``OIDCPushVerifier`` directly, counting the fetches; `keys == nil` fails every fetch.
final class StaticJWKSSource: JWKSSource {
    struct Unreachable: Error {}

    private let state: Mutex<(keys: JWKS?, maxAge: Duration?, fetches: Int)>

    init(_ keys: [JWK], maxAge: Duration? = nil) {
        self.state = Mutex((JWKS(keys: keys), maxAge, 0))
    }

    static func unreachable() -> StaticJWKSSource {
        let source = StaticJWKSSource([])
        source.publish(nil)
        return source
    }

    var fetches: Int { self.state.withLock { $0.fetches } }

    func publish(_ keys: [JWK]?) {
        self.state.withLock { $0.keys = keys.map(JWKS.init(keys:)) }
    }

    func fetchKeys() async throws -> JWKSResponse {
        let (keys, maxAge) = self.state.withLock { state in
            state.fetches += 1
            return (state.keys, state.maxAge)
        }
        guard let keys else { throw Unreachable() }
        return JWKSResponse(keys: keys, maxAge: maxAge)
    }
}

/// A clock that starts at the real time, as the tokens the tests sign do, and moves only when a test advances it.
final class ManualClock: Sendable {
    private let current = Mutex(Timestamp(Date()))

    var wallClock: WallClock { WallClock { [self] in self.current.withLock { $0 } } }

    func advance(by duration: Duration) {
        self.current.withLock { $0 = $0.advanced(bySeconds: Double(duration.components.seconds)) }
    }
}
