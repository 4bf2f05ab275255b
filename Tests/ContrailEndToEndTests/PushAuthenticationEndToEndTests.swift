import Foundation
import Hummingbird
import Logging
import PubSubEmulator
import Testing
import _CryptoExtras

@Suite("A host in PUSH_AUTH=oidc mode, end to end")
struct PushAuthenticationEndToEndTests {
    static let audience = "https://ingest.example.run.app/ingest"
    static let pusher = "push@test-project.iam.gserviceaccount.com"

    /// Serves `signer`'s key set from a real local Pub/Sub service while `body` runs.
    static func withKeyServer(_ signer: PushTokenSigner, _ body: (URL) async throws -> Void) async throws {
        let port = try freePort()
        let emulator = try LocalPubSub(path: ":memory:")
        let keyServer = LocalPubSub(store: emulator.store, tokenSigner: signer)
        let application = keyServer.application(host: "127.0.0.1", port: port, logger: Logger(label: "key-server"))
        let server = Task { try await application.runService() }
        defer { server.cancel() }
        try await body(URL(string: "http://127.0.0.1:\(port)\(PushTokenSigner.jwksPath)")!)
    }

    @Test(
        "Missing, expired, wrongly signed and wrong-audience tokens are refused and store nothing; a valid one is stored"
    )
    func refusesBadTokens() async throws {
        let signer = PushTokenSigner()
        let forger = try PushTokenSigner(backing: .init(keySize: .bits2048), keyID: signer.keyID)
        try await Self.withKeyServer(signer) { jwksURL in
            let host = try await ContrailProcess.start(environment: [
                "PUSH_AUTH": "oidc", "PUSH_AUDIENCE": Self.audience, "PUSH_SERVICE_ACCOUNTS": Self.pusher,
                "PUSH_JWKS_URL": jwksURL.absoluteString,
            ])
            defer { host.signal(SIGKILL) }
            let now = Date()
            let valid = PushTokenClaims(audience: Self.audience, serviceAccount: Self.pusher, issuedAt: now)
            let cases: [(id: String, token: String?, status: Int)] = [
                ("missing", nil, 401),
                (
                    "expired",
                    try await signer.sign(
                        PushTokenClaims(
                            audience: Self.audience,
                            serviceAccount: Self.pusher,
                            issuedAt: now.addingTimeInterval(-7200)
                        )
                    ), 401
                ),
                ("forged", try await forger.sign(valid), 401),
                (
                    "other-audience",
                    try await signer.sign(
                        PushTokenClaims(
                            audience: "https://elsewhere.example",
                            serviceAccount: Self.pusher,
                            issuedAt: now
                        )
                    ), 403
                ),
                (
                    "other-account",
                    try await signer.sign(
                        PushTokenClaims(
                            audience: Self.audience,
                            serviceAccount: "intruder@evil.iam.gserviceaccount.com",
                            issuedAt: now
                        )
                    ), 403
                ),
                ("valid", try await signer.sign(valid), 204),
            ]
            for (id, token, status) in cases {
                let headers =
                    [("Content-Type", "application/json")] + (token.map { [("Authorization", "Bearer \($0)")] } ?? [])
                let response = try await RawHTTPConnection(port: host.port).request(
                    "POST",
                    "/ingest",
                    headers: headers,
                    body: pushBody(id: id)
                )
                #expect(
                    response?.status == status,
                    "\(id): \(response.map { String(decoding: $0.body, as: UTF8.self) } ?? "")"
                )
            }
            #expect(try await storedIDs(port: host.port) == ["valid"])
        }
    }
}
