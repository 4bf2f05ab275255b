import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import InMemoryLogging
import JWTKit
import Logging
import Testing

@Suite("PUSH_AUTH=oidc verifies the push token before the message is decoded")
struct OIDCVerifierTests {
    static let kid = "key-1"
    static let now = Int(Date().timeIntervalSince1970)

    let source: StaticJWKSSource
    let endpoint: PushEndpoint

    init() throws {
        self.source = StaticJWKSSource([try SigningKey.first.jwk(kid: Self.kid)])
        let verifier = OIDCPushVerifier(
            audience: TokenClaims.audience,
            serviceAccounts: [TokenClaims.pusher, "other@test-project.iam.gserviceaccount.com"],
            source: self.source
        )
        self.endpoint = try PushEndpoint(verifier: verifier)
    }

    /// Asserts the refusal: its status, Google's error shape, a message without the token, and no handler run.
    private func expectRefused(
        _ response: FunctionResponse,
        _ code: FunctionError.Code,
        token: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(response.status == code.status, sourceLocation: sourceLocation)
        let body = try GoogleErrorBody(response.body)
        #expect(body.error.code == code.status.code, sourceLocation: sourceLocation)
        #expect(body.error.status == code.name, sourceLocation: sourceLocation)
        #expect(!body.error.message.isEmpty, sourceLocation: sourceLocation)
        if let token {
            let text = String(decoding: response.body, as: UTF8.self)
            for segment in token.split(separator: ".") where segment.count > 8 {
                #expect(!text.contains(segment), "the error body echoes the token", sourceLocation: sourceLocation)
            }
        }
        let challenge = response.headerFields[.wwwAuthenticate]
        #expect(challenge == (code == .unauthenticated ? "Bearer" : nil), sourceLocation: sourceLocation)
        #expect(
            await self.endpoint.handledCount == 0,
            "the handler ran for a refused push",
            sourceLocation: sourceLocation
        )
    }

    @Test("A token signed by a published key, with good claims, is accepted: 204 and the handler ran")
    func validTokenIsAccepted() async throws {
        let token = try await SigningKey.first.sign(kid: Self.kid)
        let response = await self.endpoint.push(token: token)

        #expect(response.status == .noContent)
        let messages = await self.endpoint.received.messages
        #expect(messages.map(\.id) == ["m-1"])
    }

    @Test("The accepted push's service account is added to the invocation's log metadata as push_email")
    func acceptedEmailIsLogged() async throws {
        let token = try await SigningKey.first.sign(kid: Self.kid)
        _ = await self.endpoint.push(token: token)

        let line = try #require(self.endpoint.logs.entries.last)
        #expect(line.metadata["push_email"] == .string(TokenClaims.pusher))
    }

    @Test("A push without an Authorization header is refused with 401 and WWW-Authenticate: Bearer")
    func missingHeaderIs401() async throws {
        try await self.expectRefused(await self.endpoint.push(authorization: nil), .unauthenticated)
    }

    @Test("An Authorization header that is not a bearer token is refused with 401")
    func otherSchemeIs401() async throws {
        try await self.expectRefused(await self.endpoint.push(authorization: "Basic dXNlcjpwYXNz"), .unauthenticated)
    }

    @Test("A bearer token that is not a JWT is refused with 401")
    func notAJWTIs401() async throws {
        try await self.expectRefused(await self.endpoint.push(token: "not-a-jwt"), .unauthenticated)
        try await self.expectRefused(await self.endpoint.push(token: "a.b.c"), .unauthenticated)
    }

    @Test("An expired token is refused with 401")
    func expiredIs401() async throws {
        let claims = TokenClaims(exp: Self.now - 120, iat: Self.now - 3720)
        let token = try await SigningKey.first.sign(claims, kid: Self.kid)
        try await self.expectRefused(await self.endpoint.push(token: token), .unauthenticated, token: token)
    }

    @Test("A token that expired within the 30 s leeway is still accepted")
    func leewayOnExpiry() async throws {
        let claims = TokenClaims(exp: Self.now - 10, iat: Self.now - 3610)
        let token = try await SigningKey.first.sign(claims, kid: Self.kid)
        #expect(await self.endpoint.push(token: token).status == .noContent)
    }

    @Test("A token issued in the future is refused with 401")
    func issuedInTheFutureIs401() async throws {
        let claims = TokenClaims(exp: Self.now + 7200, iat: Self.now + 600)
        let token = try await SigningKey.first.sign(claims, kid: Self.kid)
        try await self.expectRefused(await self.endpoint.push(token: token), .unauthenticated, token: token)
    }

    @Test("A token not valid before a time past the 30 s leeway ('nbf') is refused with 401")
    func notYetValidIs401() async throws {
        let token = try await SigningKey.first.sign(TokenClaims(nbf: Self.now + 600), kid: Self.kid)
        try await self.expectRefused(await self.endpoint.push(token: token), .unauthenticated, token: token)
    }

    @Test("A token whose 'nbf' has passed, or is within the 30 s leeway, is accepted")
    func nbfWithinLeewayIsAccepted() async throws {
        for notBefore in [Self.now - 60, Self.now + 10] {
            let token = try await SigningKey.first.sign(TokenClaims(nbf: notBefore), kid: Self.kid)
            #expect(await self.endpoint.push(token: token).status == .noContent)
        }
    }

    @Test("A token with a 'crit' header is refused with 401: no extension is understood here (RFC 7515 §4.1.11)")
    func criticalHeaderIs401() async throws {
        for crit in [["exp"], ["b64"], ["x-unknown"]] {
            let header: JWTHeader = ["crit": .array(crit.map { .string($0) })]
            let token = try await SigningKey.first.sign(kid: Self.kid, header: header)
            try await self.expectRefused(await self.endpoint.push(token: token), .unauthenticated, token: token)
        }
    }

    @Test("A token signed by another key under the published kid is refused with 401")
    func forgedSignatureIs401() async throws {
        let token = try await SigningKey.second.sign(kid: Self.kid)
        try await self.expectRefused(await self.endpoint.push(token: token), .unauthenticated, token: token)
    }

    @Test("A token whose signature segment was replaced is refused with 401 under oidc")
    func removedSignatureIs401() async throws {
        let token = try await SigningKey.first.sign(kid: Self.kid)
        let stripped = token.split(separator: ".").prefix(2).joined(separator: ".") + ".SIGNATURE_REMOVED_BY_GOOGLE"
        try await self.expectRefused(await self.endpoint.push(token: stripped), .unauthenticated, token: stripped)
    }

    @Test("A token signed with HS256 under a published kid is refused with 401 (no algorithm confusion)")
    func otherAlgorithmIs401() async throws {
        let keys = JWTKeyCollection()
        await keys.add(
            hmac: "a shared secret that is not the key",
            digestAlgorithm: .sha256,
            kid: JWKIdentifier(string: Self.kid)
        )
        let token = try await keys.sign(TokenClaims(), kid: JWKIdentifier(string: Self.kid))
        try await self.expectRefused(await self.endpoint.push(token: token), .unauthenticated, token: token)
    }

    @Test("A token naming a kid that is not published is refused with 401, even when its key is otherwise valid")
    func unknownKidIs401() async throws {
        let token = try await SigningKey.first.sign(kid: "key-unknown")
        try await self.expectRefused(await self.endpoint.push(token: token), .unauthenticated, token: token)
    }

    @Test("A token from an issuer other than Google is refused with 401")
    func wrongIssuerIs401() async throws {
        let token = try await SigningKey.first.sign(TokenClaims(iss: "https://evil.example.com"), kid: Self.kid)
        try await self.expectRefused(await self.endpoint.push(token: token), .unauthenticated, token: token)
    }

    @Test("Both spellings of Google's issuer are accepted")
    func bareIssuerIsAccepted() async throws {
        let token = try await SigningKey.first.sign(TokenClaims(iss: "accounts.google.com"), kid: Self.kid)
        #expect(await self.endpoint.push(token: token).status == .noContent)
    }

    @Test("A valid token for another audience is refused with 403")
    func wrongAudienceIs403() async throws {
        let token = try await SigningKey.first.sign(TokenClaims(aud: "https://elsewhere.example.com"), kid: Self.kid)
        try await self.expectRefused(await self.endpoint.push(token: token), .permissionDenied, token: token)
    }

    @Test("A valid token for a service account not in PUSH_SERVICE_ACCOUNTS is refused with 403")
    func emailNotAllowedIs403() async throws {
        let claims = TokenClaims(email: "intruder@other-project.iam.gserviceaccount.com")
        let token = try await SigningKey.first.sign(claims, kid: Self.kid)
        let response = await self.endpoint.push(token: token)
        try await self.expectRefused(response, .permissionDenied, token: token)
        let message = try GoogleErrorBody(response.body).error.message
        #expect(message.contains("PUSH_SERVICE_ACCOUNTS"))
        #expect(message.contains("intruder@other-project.iam.gserviceaccount.com"))
    }

    @Test("A valid token whose email is not verified is refused with 403")
    func unverifiedEmailIs403() async throws {
        let token = try await SigningKey.first.sign(TokenClaims(email_verified: false), kid: Self.kid)
        try await self.expectRefused(await self.endpoint.push(token: token), .permissionDenied, token: token)
    }

    @Test("A valid token without email_verified is refused with 403")
    func missingEmailVerifiedIs403() async throws {
        let token = try await SigningKey.first.sign(TokenClaims(email_verified: nil), kid: Self.kid)
        try await self.expectRefused(await self.endpoint.push(token: token), .permissionDenied, token: token)
    }

    @Test("A refused push is answered before its body is read: a bad body with a bad token is 401, not 400")
    func authenticationComesBeforeDecoding() async throws {
        let response = await self.endpoint.push(authorization: nil, body: Data("not a delivery".utf8))
        try await self.expectRefused(response, .unauthenticated)
    }

    @Test("When the signing keys cannot be fetched the push is answered 503 so that Pub/Sub retries")
    func unreachableKeysAre503() async throws {
        let endpoint = try PushEndpoint(
            verifier: OIDCPushVerifier(audience: TokenClaims.audience, source: StaticJWKSSource.unreachable())
        )
        let token = try await SigningKey.first.sign(kid: Self.kid)
        let response = await endpoint.push(token: token)

        #expect(response.status == .serviceUnavailable)
        #expect(try GoogleErrorBody(response.body).error.status == "UNAVAILABLE")
        #expect(await endpoint.handledCount == 0)
    }

    @Test("HTTP functions are not authenticated")
    func httpFunctionsAreUntouched() async throws {
        let head = HTTPRequest(method: .get, scheme: "https", authority: "localhost", path: "/page")
        let response = await self.endpoint.router.respond(to: head, body: Data())
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "open to all")
    }
}
