import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import InMemoryLogging
import JWTKit
import Testing

@Suite("The signing keys are cached for their max-age and refetched at most once per 30 s for an unknown kid")
struct JWKSCacheTests {
    let clock = ManualClock()

    private func endpoint(_ source: StaticJWKSSource) throws -> PushEndpoint {
        try PushEndpoint(
            verifier: OIDCPushVerifier(audience: TokenClaims.audience, source: source, clock: self.clock.wallClock)
        )
    }

    @Test("Keys are fetched once and reused until their max-age has passed, then fetched again")
    func keysLiveForTheirMaxAge() async throws {
        let source = StaticJWKSSource([try SigningKey.first.jwk(kid: "key-1")], maxAge: .seconds(60))
        let endpoint = try self.endpoint(source)
        let token = try await SigningKey.first.sign(kid: "key-1")

        #expect(await endpoint.push(token: token).status == .noContent)
        self.clock.advance(by: .seconds(59))
        #expect(await endpoint.push(token: token).status == .noContent)
        #expect(source.fetches == 1)

        self.clock.advance(by: .seconds(1))
        #expect(await endpoint.push(token: token).status == .noContent)
        #expect(source.fetches == 2)
    }

    @Test("Without a max-age keys are kept for an hour")
    func defaultMaxAgeIsAnHour() async throws {
        let source = StaticJWKSSource([try SigningKey.first.jwk(kid: "key-1")])
        let endpoint = try self.endpoint(source)
        let token = try await SigningKey.first.sign(kid: "key-1")

        _ = await endpoint.push(token: token)
        self.clock.advance(by: .seconds(3599))
        _ = await endpoint.push(token: token)
        #expect(source.fetches == 1)
        self.clock.advance(by: .seconds(1))
        _ = await endpoint.push(token: token)
        #expect(source.fetches == 2)
    }

    @Test("A rotated-in key is picked up at once by one refetch, and unknown kids refetch at most once per 30 s")
    func unknownKidRefetchIsRateLimited() async throws {
        let source = StaticJWKSSource([try SigningKey.first.jwk(kid: "key-1")])
        let endpoint = try self.endpoint(source)
        #expect(await endpoint.push(token: try await SigningKey.first.sign(kid: "key-1")).status == .noContent)

        source.publish([try SigningKey.first.jwk(kid: "key-1"), try SigningKey.second.jwk(kid: "key-2")])
        let rotated = try await SigningKey.second.sign(kid: "key-2")
        #expect(await endpoint.push(token: rotated).status == .noContent)
        #expect(source.fetches == 2)

        let forged = try await SigningKey.second.sign(kid: "key-forged")
        #expect(await endpoint.push(token: forged).status == .unauthorized)
        #expect(source.fetches == 2)
        self.clock.advance(by: .seconds(29))
        #expect(await endpoint.push(token: forged).status == .unauthorized)
        #expect(source.fetches == 2)

        self.clock.advance(by: .seconds(1))
        #expect(await endpoint.push(token: forged).status == .unauthorized)
        #expect(source.fetches == 3)
    }

    @Test("A failed fetch is not cached: the next push fetches again and succeeds")
    func failuresAreNotCached() async throws {
        let source = StaticJWKSSource.unreachable()
        let endpoint = try self.endpoint(source)
        let token = try await SigningKey.first.sign(kid: "key-1")

        #expect(await endpoint.push(token: token).status == .serviceUnavailable)
        source.publish([try SigningKey.first.jwk(kid: "key-1")])
        #expect(await endpoint.push(token: token).status == .noContent)
        #expect(source.fetches == 2)
    }

    @Test("Concurrent pushes while the cache is empty share one fetch")
    func concurrentPushesShareOneFetch() async throws {
        let source = StaticJWKSSource([try SigningKey.first.jwk(kid: "key-1")])
        let endpoint = try self.endpoint(source)
        let token = try await SigningKey.first.sign(kid: "key-1")

        let statuses = await withTaskGroup(of: HTTPResponse.Status.self) { group in
            for _ in 0..<8 { group.addTask { await endpoint.push(token: token).status } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: .noContent, count: 8))
        #expect(source.fetches == 1)
    }
}
