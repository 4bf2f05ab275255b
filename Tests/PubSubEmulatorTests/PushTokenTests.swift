import ContrailKit
import Foundation
import HTTPTypes
import JWTKit
import PubSubEmulator
import Testing
import _CryptoExtras

@Suite("Authenticated push: OIDC tokens signed by a key the service publishes")
struct PushTokenTests {
    static let account = "push@p.iam.gserviceaccount.com"

    /// Verifies `authorization` against the key set the emulator serves, as a host in `PUSH_AUTH=oidc` does.
    static func verify(_ authorization: String?, client: EmulatorClient) async throws -> PushTokenClaims {
        let header = try #require(authorization)
        #expect(header.hasPrefix("Bearer "))
        let jwks = try await client.sendRaw(.get, "/oauth2/v3/certs", nil)
        #expect(jwks.status == 200)
        let keys = JWTKeyCollection()
        try await keys.add(
            jwks: JSONDecoder().decode(JWKS.self, from: JSONSerialization.data(withJSONObject: jwks.json))
        )
        return try await keys.verify(String(header.dropFirst("Bearer ".count)), as: PushTokenClaims.self)
    }

    @Test("Each push carries an RS256 token with Google's claims for the configured audience")
    func explicitAudience() async throws {
        let push: [String: Any] = [
            "oidcToken": ["serviceAccountEmail": Self.account, "audience": "https://ingest.example"]
        ]
        try await PushDeliveryTests.setUp(statuses: [204], pushConfig: push) { client, deliverer, recorder, clock in
            try await PushDeliveryTests.publish(client, "hello")
            await deliverer.deliverDue()
            let request = try #require(await recorder.requests.first)
            let claims = try await Self.verify(request.headers["authorization"], client: client)
            #expect(claims.iss == "https://accounts.google.com")
            #expect(claims.aud == "https://ingest.example")
            #expect(claims.email == Self.account)
            #expect(claims.email_verified)
            #expect(claims.sub.count == 21 && claims.sub.allSatisfy(\.isNumber))
            #expect(claims.exp - claims.iat == 3600)
            #expect(Int64(claims.iat) == clock.now.microsecondsSinceEpoch / 1_000_000, "signed at the service's time")
        }
    }

    @Test("Without an audience the token is for the push endpoint's URL, as Google does")
    func endpointAudience() async throws {
        let push: [String: Any] = ["oidcToken": ["serviceAccountEmail": Self.account]]
        try await PushDeliveryTests.setUp(statuses: [204], pushConfig: push) { client, deliverer, recorder, _ in
            try await PushDeliveryTests.publish(client, "hello")
            await deliverer.deliverDue()
            let request = try #require(await recorder.requests.first)
            let claims = try await Self.verify(request.headers["authorization"], client: client)
            let subscription = try await client.send(.get, "/v1/projects/p/subscriptions/push")
            #expect(claims.aud == (subscription.json["pushConfig"] as? [String: Any])?["pushEndpoint"] as? String)
        }
    }

    @Test("A subscription without oidcToken pushes without Authorization")
    func unauthenticated() async throws {
        try await PushDeliveryTests.setUp(statuses: [204]) { client, deliverer, recorder, _ in
            try await PushDeliveryTests.publish(client, "hello")
            await deliverer.deliverDue()
            #expect(try #require(await recorder.requests.first).headers["authorization"] == nil)
        }
    }

    @Test("A token from another key under the same kid fails verification against the published key set")
    func foreignKey() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            let jwks = try await client.sendRaw(.get, "/oauth2/v3/certs", nil)
            let kid = try #require(((jwks.json["keys"] as? [[String: Any]])?.first)?["kid"] as? String)
            let forger = try PushTokenSigner(backing: .init(keySize: .bits2048), keyID: kid)
            let forged = try await forger.token(audience: "a", serviceAccount: Self.account)
            await #expect(throws: (any Error).self) {
                _ = try await Self.verify("Bearer \(forged)", client: client)
            }
        }
    }
}
