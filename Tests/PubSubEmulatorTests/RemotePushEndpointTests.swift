import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

/// Anything that reaches the local service could point a subscription, and the tokens signed for it, anywhere; so
/// it pushes to this machine only, unless told otherwise.
@Suite("Push endpoints outside loopback")
struct RemotePushEndpointTests {
    static let remote = [
        "https://ingest.example/push", "http://10.0.0.1:8080/push", "http://127.0.0.1.nip.io/push",
        "http://127.0.0.1@evil.example/push", "http://localhost.evil.example/push", "http://0x7f000001/push",
        "http://0177.0.0.1/push", "http://[::ffff:127.0.0.1]/push", "http://0.0.0.0:8080/push",
    ]

    static func withTopic(
        _ configuration: LocalPubSub.Configuration = .init(),
        _ test: @Sendable (EmulatorClient) async throws -> Void
    ) async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:", configuration: configuration)) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            try await test(client)
        }
    }

    static func expectRefused(_ reply: Reply, _ endpoint: String) {
        #expect(reply.status == 400, "\(endpoint)")
        #expect(reply.errorStatus == "INVALID_ARGUMENT")
        #expect(reply.errorMessage.contains("pushConfig.pushEndpoint"), "\(reply.errorMessage)")
    }

    @Test(
        "Creating a subscription that pushes outside loopback is refused naming pushConfig.pushEndpoint",
        arguments: remote
    )
    func create(endpoint: String) async throws {
        try await Self.withTopic { client in
            let reply = try await client.send(
                .put,
                "/v1/projects/p/subscriptions/sub1",
                ["topic": "projects/p/topics/orders", "pushConfig": ["pushEndpoint": endpoint]]
            )
            Self.expectRefused(reply, endpoint)
            #expect(try await client.send(.get, "/v1/projects/p/subscriptions/sub1").status == 404)
        }
    }

    @Test("modifyPushConfig and PATCH cannot move a subscription's pushes outside loopback", arguments: remote)
    func modify(endpoint: String) async throws {
        try await Self.withTopic { client in
            let path = "/v1/projects/p/subscriptions/sub1"
            let local = "http://127.0.0.1:8080/push"
            let created = try await client.send(
                .put,
                path,
                ["topic": "projects/p/topics/orders", "pushConfig": ["pushEndpoint": local]]
            )
            #expect(created.status == 200)
            Self.expectRefused(
                try await client.send(.post, "\(path):modifyPushConfig", ["pushConfig": ["pushEndpoint": endpoint]]),
                endpoint
            )
            let patch: [String: Any] = [
                "subscription": ["pushConfig": ["pushEndpoint": endpoint]], "updateMask": "pushConfig",
            ]
            Self.expectRefused(try await client.send(.patch, path, patch), endpoint)
            let fetched = try await client.send(.get, path).json
            #expect((fetched["pushConfig"] as? [String: Any])?["pushEndpoint"] as? String == local)
        }
    }

    @Test(
        "Loopback endpoints are accepted in every spelling",
        arguments: [
            "http://localhost/push", "http://LOCALHOST:8080/push", "http://127.0.0.1:8080/push",
            "https://127.9.8.7/push",
            "http://[::1]:8080/push", "http://[::1]/push",
        ]
    )
    func loopback(endpoint: String) async throws {
        try await Self.withTopic { client in
            let reply = try await client.send(
                .put,
                "/v1/projects/p/subscriptions/sub1",
                ["topic": "projects/p/topics/orders", "pushConfig": ["pushEndpoint": endpoint]]
            )
            #expect(reply.status == 200, "\(reply.errorMessage)")
        }
    }

    @Test("With allowsRemotePushEndpoints, a subscription may push anywhere")
    func allowed() async throws {
        try await Self.withTopic(.init(allowsRemotePushEndpoints: true)) { client in
            let reply = try await client.send(
                .put,
                "/v1/projects/p/subscriptions/sub1",
                ["topic": "projects/p/topics/orders", "pushConfig": ["pushEndpoint": "https://ingest.example/push"]]
            )
            #expect(reply.status == 200)
        }
    }
}
