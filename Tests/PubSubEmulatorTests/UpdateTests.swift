import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Updating topics and subscriptions (PATCH with updateMask)")
struct UpdateTests {
    static let path = "/v1/projects/p/subscriptions/sub1"

    static func withSubscription(_ test: @Sendable (EmulatorClient) async throws -> Void) async throws {
        try await SubscriptionTests.withTopics { client in
            let created = try await client.send(
                .put,
                Self.path,
                ["topic": "projects/p/topics/orders", "ackDeadlineSeconds": 20, "labels": ["team": "data"]]
            )
            #expect(created.status == 200)
            try await test(client)
        }
    }

    @Test("Only the fields the mask names change; the answer and a later GET show the result")
    func masked() async throws {
        try await Self.withSubscription { client in
            let reply = try await client.send(
                .patch,
                Self.path,
                [
                    "subscription": [
                        "ackDeadlineSeconds": 45, "labels": ["team": "ops"],
                        "retryPolicy": ["minimumBackoff": "5s"],
                    ],
                    "updateMask": "ackDeadlineSeconds,retry_policy",
                ]
            )
            #expect(reply.status == 200)
            #expect(reply.json["ackDeadlineSeconds"] as? Int == 45)
            #expect((reply.json["retryPolicy"] as? [String: Any])?["minimumBackoff"] as? String == "5s")
            let fetched = try await client.send(.get, Self.path)
            #expect(fetched.json["ackDeadlineSeconds"] as? Int == 45)
            #expect(fetched.json["labels"] as? [String: String] == ["team": "data"])
            #expect(fetched.json["topic"] as? String == "projects/p/topics/orders")
        }
    }

    @Test("A masked field absent from the body is cleared back to its default")
    func clearing() async throws {
        try await Self.withSubscription { client in
            let reply = try await client.send(
                .patch,
                Self.path,
                ["subscription": [String: Any](), "updateMask": "labels,ackDeadlineSeconds"]
            )
            #expect(reply.status == 200)
            #expect(reply.json["labels"] == nil)
            #expect(reply.json["ackDeadlineSeconds"] as? Int == 10)
        }
    }

    @Test("The new settings are validated as on create: bad values, missing dead-letter topics, unknown fields")
    func validated() async throws {
        try await Self.withSubscription { client in
            let deadline = try await client.send(
                .patch,
                Self.path,
                ["subscription": ["ackDeadlineSeconds": 900], "updateMask": "ackDeadlineSeconds"]
            )
            #expect(deadline.status == 400)
            #expect(deadline.errorMessage.contains("ackDeadlineSeconds"))
            let deadLetter = try await client.send(
                .patch,
                Self.path,
                [
                    "subscription": ["deadLetterPolicy": ["deadLetterTopic": "projects/p/topics/missing"]],
                    "updateMask": "deadLetterPolicy",
                ]
            )
            #expect(deadLetter.status == 404)
            let unknown = try await client.send(
                .patch,
                Self.path,
                ["subscription": ["ackDeadline": 30], "updateMask": "ackDeadlineSeconds"]
            )
            #expect(unknown.status == 400)
            #expect(unknown.errorMessage.contains("ackDeadline"))
            #expect(try await client.send(.get, Self.path).json["ackDeadlineSeconds"] as? Int == 20)
        }
    }

    @Test("The mask must be present and name fields an update may change")
    func maskRules() async throws {
        try await Self.withSubscription { client in
            let missing = try await client.send(.patch, Self.path, ["subscription": ["ackDeadlineSeconds": 30]])
            #expect(missing.status == 400)
            #expect(missing.errorMessage.contains("update_mask"))
            let immutable = try await client.send(
                .patch,
                Self.path,
                ["subscription": ["topic": "projects/p/topics/orders-dlq"], "updateMask": "topic"]
            )
            #expect(immutable.status == 400)
            #expect(immutable.errorMessage.contains("'topic'"))
            let absent = try await client.send(
                .patch,
                "/v1/projects/p/subscriptions/nothing",
                ["subscription": ["ackDeadlineSeconds": 30], "updateMask": "ackDeadlineSeconds"]
            )
            #expect(absent.status == 404)
        }
    }

    @Test("A topic's labels change through its mask; other fields stay")
    func topic() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            let path = "/v1/projects/p/topics/orders"
            _ = try await client.send(.put, path, ["labels": ["env": "dev"], "messageRetentionDuration": "3600s"])
            let reply = try await client.send(
                .patch,
                path,
                ["topic": ["labels": ["env": "prod"]], "updateMask": "labels"]
            )
            #expect(reply.status == 200)
            let fetched = try await client.send(.get, path)
            #expect(fetched.json["labels"] as? [String: String] == ["env": "prod"])
            #expect(fetched.json["messageRetentionDuration"] as? String == "3600s")
            #expect(try await client.send(.patch, path, ["topic": ["name": "x"], "updateMask": "name"]).status == 400)
            #expect(try await client.send(.patch, path, ["topic": [String: Any]()]).status == 400)
            #expect(
                try await client.send(
                    .patch,
                    "/v1/projects/p/topics/absent",
                    ["topic": [String: Any](), "updateMask": "labels"]
                )
                .status == 404
            )
        }
    }
}
