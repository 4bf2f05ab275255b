import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import InMemoryLogging
import JWTKit
import Logging
import Testing

@Suite("PUSH_AUTH=platform reads the claims of the token Cloud Run forwards, without its signature")
struct PlatformVerifierTests {
    static let now = Int(Date().timeIntervalSince1970)

    /// The token as Cloud Run forwards it once IAM has checked it: the signature segment replaced.
    private func forwarded(
        _ claims: TokenClaims = TokenClaims(),
        header: JWTHeader = JWTHeader()
    ) async throws -> String {
        let token = try await SigningKey.first.sign(claims, kid: "key-1", header: header)
        return token.split(separator: ".").prefix(2).joined(separator: ".") + ".SIGNATURE_REMOVED_BY_GOOGLE"
    }

    @Test("A forwarded token with good claims is accepted: 204 and the handler ran")
    func goodClaimsAreAccepted() async throws {
        let endpoint = try PushEndpoint(
            verifier: PlatformPushVerifier(audience: TokenClaims.audience, serviceAccounts: [TokenClaims.pusher])
        )
        let response = await endpoint.push(token: try await self.forwarded())

        #expect(response.status == .noContent)
        #expect(await endpoint.handledCount == 1)
        #expect(endpoint.logs.entries.last?.metadata["push_email"] == .string(TokenClaims.pusher))
    }

    @Test("Without PUSH_AUDIENCE any audience is accepted")
    func anyAudienceWithoutPushAudience() async throws {
        let endpoint = try PushEndpoint(verifier: PlatformPushVerifier())
        let response = await endpoint.push(
            token: try await self.forwarded(TokenClaims(aud: "https://anything.example"))
        )
        #expect(response.status == .noContent)
    }

    @Test("With several audiences in PUSH_AUDIENCE a token for any one of them is accepted, and no other")
    func oneOfSeveralAudiences() async throws {
        let configuration = try HostConfiguration(environment: [
            "PUSH_AUTH": "platform", "PUSH_AUDIENCE": "https://a.example/orders, \(TokenClaims.audience)",
        ])
        let endpoint = try PushEndpoint(verifier: try #require(try configuration.pushAuthentication.makeVerifier()))
        #expect(await endpoint.push(token: try await self.forwarded()).status == .noContent)
        let orders = try await self.forwarded(TokenClaims(aud: "https://a.example/orders"))
        #expect(await endpoint.push(token: orders).status == .noContent)
        let other = try await self.forwarded(TokenClaims(aud: "https://a.example/other"))
        #expect(await endpoint.push(token: other).status == .forbidden)
    }

    @Test("A forwarded token whose claims have expired is refused with 401 and the handler does not run")
    func expiredClaimsAre401() async throws {
        let endpoint = try PushEndpoint(verifier: PlatformPushVerifier())
        let token = try await self.forwarded(TokenClaims(exp: Self.now - 300, iat: Self.now - 3900))
        let response = await endpoint.push(token: token)

        #expect(response.status == .unauthorized)
        #expect(response.headerFields[.wwwAuthenticate] == "Bearer")
        #expect(try GoogleErrorBody(response.body).error.status == "UNAUTHENTICATED")
        #expect(await endpoint.handledCount == 0)
    }

    @Test("A forwarded token that is not valid yet ('nbf') or has a 'crit' header is refused with 401")
    func notYetValidOrCriticalIs401() async throws {
        let endpoint = try PushEndpoint(verifier: PlatformPushVerifier())
        let notYetValid = try await self.forwarded(TokenClaims(nbf: Self.now + 600))
        let critical = try await self.forwarded(header: ["crit": .array([.string("x-unknown")])])
        for token in [notYetValid, critical] {
            #expect(await endpoint.push(token: token).status == .unauthorized)
        }
        #expect(await endpoint.handledCount == 0)
    }

    @Test("A request that did not come through Cloud Run IAM, without a token, is refused with 401")
    func missingTokenIs401() async throws {
        let endpoint = try PushEndpoint(verifier: PlatformPushVerifier())
        let response = await endpoint.push(authorization: nil)
        #expect(response.status == .unauthorized)
        #expect(await endpoint.handledCount == 0)
    }

    @Test("The claim checks of oidc apply: a wrong audience, email or unverified email is refused with 403")
    func claimChecksApply() async throws {
        let endpoint = try PushEndpoint(
            verifier: PlatformPushVerifier(audience: TokenClaims.audience, serviceAccounts: [TokenClaims.pusher])
        )
        for claims in [
            TokenClaims(aud: "https://elsewhere.example"),
            TokenClaims(email: "intruder@other.iam.gserviceaccount.com"),
            TokenClaims(email_verified: false),
        ] {
            let response = await endpoint.push(token: try await self.forwarded(claims))
            #expect(response.status == .forbidden)
            #expect(response.headerFields[.wwwAuthenticate] == nil)
        }
        let wrongIssuer = await endpoint.push(token: try await self.forwarded(TokenClaims(iss: "https://evil.example")))
        #expect(wrongIssuer.status == .unauthorized)
        #expect(await endpoint.handledCount == 0)
    }
}
