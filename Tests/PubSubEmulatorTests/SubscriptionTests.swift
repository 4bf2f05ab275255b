import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Subscriptions")
struct SubscriptionTests {
    static func withTopics(_ test: @Sendable (EmulatorClient) async throws -> Void) async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            _ = try await client.send(.put, "/v1/projects/p/topics/orders-dlq")
            try await test(client)
        }
    }

    @Test("A subscription created with only a topic gets Google's defaults")
    func defaults() async throws {
        try await Self.withTopics { client in
            let reply = try await client.send(
                .put,
                "/v1/projects/p/subscriptions/sub1",
                ["topic": "projects/p/topics/orders"]
            )
            #expect(reply.status == 200)
            #expect(reply.json["name"] as? String == "projects/p/subscriptions/sub1")
            #expect(reply.json["ackDeadlineSeconds"] as? Int == 10)
            #expect(reply.json["messageRetentionDuration"] as? String == "604800s")
            let fetched = try await client.send(.get, "/v1/projects/p/subscriptions/sub1")
            #expect(fetched.json["topic"] as? String == "projects/p/topics/orders")
            let listed = try await client.send(.get, "/v1/projects/p/subscriptions")
            #expect((listed.json["subscriptions"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("A full configuration is normalised and pushConfig echoes x-goog-version")
    func fullConfig() async throws {
        try await Self.withTopics { client in
            let body: [String: Any] = [
                "topic": "projects/p/topics/orders", "ackDeadlineSeconds": 60,
                "pushConfig": ["pushEndpoint": "http://localhost:8080/push"],
                "retryPolicy": ["minimumBackoff": "3.5s", "maximumBackoff": "600s"],
                "deadLetterPolicy": ["deadLetterTopic": "projects/p/topics/orders-dlq"],
                "enableMessageOrdering": true,
            ]
            #expect(try await client.send(.put, "/v1/projects/p/subscriptions/sub1", body).status == 200)
            let fetched = try await client.send(.get, "/v1/projects/p/subscriptions/sub1").json
            #expect(fetched["ackDeadlineSeconds"] as? Int == 60)
            let push = fetched["pushConfig"] as? [String: Any]
            #expect(push?["pushEndpoint"] as? String == "http://localhost:8080/push")
            #expect(push?["attributes"] as? [String: String] == ["x-goog-version": "v1"])
            // The proto3 JSON mapping writes 0, 3, 6 or 9 fractional digits, as Google's REST API does.
            #expect((fetched["retryPolicy"] as? [String: String])?["minimumBackoff"] == "3.500s")
            #expect((fetched["deadLetterPolicy"] as? [String: Any])?["maxDeliveryAttempts"] as? Int == 5)
            #expect(fetched["enableMessageOrdering"] as? Bool == true)
        }
    }

    @Test(
        "Out-of-range settings and unknown fields are refused with 400",
        arguments: [
            #"{"ackDeadlineSeconds":5}"#, #"{"ackDeadlineSeconds":601}"#,
            #"{"retryPolicy":{"minimumBackoff":"601s"}}"#, #"{"retryPolicy":{"maximumBackoff":"ten"}}"#,
            #"{"deadLetterPolicy":{"deadLetterTopic":"projects/p/topics/orders-dlq","maxDeliveryAttempts":4}}"#,
            #"{"deadLetterPolicy":{"deadLetterTopic":"projects/p/topics/orders-dlq","maxDeliveryAttempts":101}}"#,
            #"{"colour":"red"}"#,
        ]
    )
    func limits(extra: String) async throws {
        try await Self.withTopics { client in
            var body = try #require(try JSONSerialization.jsonObject(with: Data(extra.utf8)) as? [String: Any])
            body["topic"] = "projects/p/topics/orders"
            let reply = try await client.send(.put, "/v1/projects/p/subscriptions/sub1", body)
            #expect(reply.status == 400)
            #expect(reply.errorStatus == "INVALID_ARGUMENT")
        }
    }

    @Test("A subscription without a topic is refused and one to a missing topic answers 404")
    func missingTopic() async throws {
        try await Self.withTopics { client in
            #expect(try await client.send(.put, "/v1/projects/p/subscriptions/sub1", [String: Any]()).status == 400)
            let reply = try await client.send(
                .put,
                "/v1/projects/p/subscriptions/sub1",
                ["topic": "projects/p/topics/nothere"]
            )
            #expect(reply.status == 404)
            #expect(reply.errorMessage.contains("projects/p/topics/nothere"))
            let dlq = try await client.send(
                .put,
                "/v1/projects/p/subscriptions/sub1",
                [
                    "topic": "projects/p/topics/orders",
                    "deadLetterPolicy": ["deadLetterTopic": "projects/p/topics/gone"],
                ]
            )
            #expect(dlq.status == 404)
        }
    }

    @Test("Creating a subscription twice answers 409 and deleting it twice answers 404")
    func duplicateAndDelete() async throws {
        try await Self.withTopics { client in
            let body = ["topic": "projects/p/topics/orders"]
            _ = try await client.send(.put, "/v1/projects/p/subscriptions/sub1", body)
            #expect(try await client.send(.put, "/v1/projects/p/subscriptions/sub1", body).status == 409)
            #expect(try await client.send(.delete, "/v1/projects/p/subscriptions/sub1").status == 200)
            #expect(try await client.send(.delete, "/v1/projects/p/subscriptions/sub1").status == 404)
        }
    }

    @Test("ModifyPushConfig sets and clears the push endpoint")
    func modifyPushConfig() async throws {
        try await Self.withTopics { client in
            _ = try await client.send(.put, "/v1/projects/p/subscriptions/sub1", ["topic": "projects/p/topics/orders"])
            let path = "/v1/projects/p/subscriptions/sub1:modifyPushConfig"
            let endpoint = "http://127.0.0.1:8080/push"
            #expect(try await client.send(.post, path, ["pushConfig": ["pushEndpoint": endpoint]]).status == 200)
            var fetched = try await client.send(.get, "/v1/projects/p/subscriptions/sub1").json
            #expect((fetched["pushConfig"] as? [String: Any])?["pushEndpoint"] as? String == endpoint)
            _ = try await client.send(.post, path, ["pushConfig": [String: Any]()])
            fetched = try await client.send(.get, "/v1/projects/p/subscriptions/sub1").json
            #expect(fetched["pushConfig"] == nil)
        }
    }
}
