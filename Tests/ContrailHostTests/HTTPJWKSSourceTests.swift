import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import InMemoryLogging
import JWTKit
import Testing

@Suite("PUSH_AUTH=oidc fetches its keys over HTTP and caches them per Cache-Control")
struct HTTPJWKSSourceTests {
    /// The verifier `PUSH_AUTH=oidc` builds, with its keys at `url`.
    private func endpoint(keysAt url: URL) throws -> PushEndpoint {
        var configuration = HostConfiguration()
        configuration.pushAuthentication = PushAuthentication(
            mode: .oidc,
            audiences: [TokenClaims.audience],
            jwksURL: url
        )
        return try PushEndpoint(verifier: nil, configuration: configuration)
    }

    @Test("Two verifications fetch the keys once, and a token with a new kid triggers exactly one refetch")
    func keysAreFetchedOnceAndRefetchedForANewKid() async throws {
        let server = JWKSServer(keys: [try SigningKey.first.jwk(kid: "key-1")], cacheControl: "public, max-age=60")
        let first = try await SigningKey.first.sign(kid: "key-1")
        let rotated = try await SigningKey.second.sign(kid: "key-2")
        let rotatedKeys = [try SigningKey.first.jwk(kid: "key-1"), try SigningKey.second.jwk(kid: "key-2")]

        try await server.serve { url in
            let endpoint = try self.endpoint(keysAt: url)
            #expect(await endpoint.push(token: first).status == .noContent)
            #expect(await endpoint.push(token: first).status == .noContent)
            #expect(server.requests == 1)

            server.publish(rotatedKeys)
            #expect(await endpoint.push(token: rotated).status == .noContent)
            #expect(server.requests == 2)
            #expect(await endpoint.push(token: first).status == .noContent)
            #expect(await endpoint.push(token: rotated).status == .noContent)
            #expect(server.requests == 2)
            #expect(await endpoint.handledCount == 5)
        }
    }

    @Test("Keys served with max-age=0 are fetched again for every verification")
    func maxAgeZeroIsNotCached() async throws {
        let server = JWKSServer(
            keys: [try SigningKey.first.jwk(kid: "key-1")],
            cacheControl: "max-age=0, must-revalidate"
        )
        let token = try await SigningKey.first.sign(kid: "key-1")

        try await server.serve { url in
            let endpoint = try self.endpoint(keysAt: url)
            #expect(await endpoint.push(token: token).status == .noContent)
            #expect(await endpoint.push(token: token).status == .noContent)
            #expect(server.requests == 2)
        }
    }

    @Test("A key server that answers with an error makes the push 503, so that Pub/Sub retries")
    func keyServerErrorIs503() async throws {
        let server = JWKSServer(keys: [try SigningKey.first.jwk(kid: "key-1")], cacheControl: "max-age=60")
        server.answer(.internalServerError)
        let token = try await SigningKey.first.sign(kid: "key-1")

        try await server.serve { url in
            let endpoint = try self.endpoint(keysAt: url)
            let response = await endpoint.push(token: token)
            #expect(response.status == .serviceUnavailable)
            #expect(try GoogleErrorBody(response.body).error.status == "UNAVAILABLE")
            #expect(await endpoint.handledCount == 0)
        }
    }

    @Test("Keys of a type the verifier cannot use ('oct', no 'kty') are skipped and the usable keys still verify")
    func unusableKeysAreSkipped() async throws {
        let server = JWKSServer(keys: [], cacheControl: "max-age=60")
        server.publish(
            [try SigningKey.first.jwk(kid: "key-1")],
            rawKeys: [
                #"{"kty":"oct","kid":"shared","k":"c2VjcmV0"}"#,
                #"{"kid":"typeless","n":"AQAB","e":"AQAB"}"#,
                #"{"kty":"OKP","crv":"X25519","kid":"agreement","x":"AQAB"}"#,
            ]
        )
        let token = try await SigningKey.first.sign(kid: "key-1")

        try await server.serve { url in
            let endpoint = try self.endpoint(keysAt: url)
            #expect(await endpoint.push(token: token).status == .noContent)
            #expect(await endpoint.handledCount == 1)
        }
    }

    @Test("A key set with no usable key at all makes the push 503, naming the reason")
    func noUsableKeyIs503() async throws {
        let server = JWKSServer(keys: [], cacheControl: "max-age=60")
        server.publish([], rawKeys: [#"{"kty":"oct","kid":"key-1","k":"c2VjcmV0"}"#])
        let token = try await SigningKey.first.sign(kid: "key-1")

        try await server.serve { url in
            let endpoint = try self.endpoint(keysAt: url)
            let response = await endpoint.push(token: token)
            #expect(response.status == .serviceUnavailable)
            #expect(try GoogleErrorBody(response.body).error.message.contains("no RSA key"))
            #expect(await endpoint.handledCount == 0)
        }
    }

    @Test("A redirect from the key server is not followed: the fetch fails and the other server sees no request")
    func redirectIsNotFollowed() async throws {
        let elsewhere = JWKSServer(keys: [try SigningKey.first.jwk(kid: "key-1")], cacheControl: "max-age=60")
        let redirecting = JWKSServer(keys: [], cacheControl: "max-age=60")
        let token = try await SigningKey.first.sign(kid: "key-1")

        try await elsewhere.serve { elsewhereURL in
            redirecting.redirect(to: elsewhereURL)
            try await redirecting.serve { url in
                let error = try await #require(throws: (any Error).self) {
                    try await HTTPJWKSSource(url: url).fetchKeys()
                }
                #expect("\(error)".contains("answered 302 with a redirect to \(elsewhereURL.absoluteString)"))

                let endpoint = try self.endpoint(keysAt: url)
                let response = await endpoint.push(token: token)
                #expect(response.status == .serviceUnavailable)
                #expect(await endpoint.handledCount == 0)
            }
        }
        #expect(redirecting.requests == 2)
        #expect(elsewhere.requests == 0)
    }
}
