import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Pull delivery")
struct DeliveryTests {
    static func setUp(
        clock: ManualClock,
        deadLetter: Bool = false,
        _ test: @Sendable (EmulatorClient) async throws -> Void
    ) async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:", clock: clock.wallClock)) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            _ = try await client.send(.put, "/v1/projects/p/topics/orders-dlq")
            var body: [String: Any] = ["topic": "projects/p/topics/orders", "ackDeadlineSeconds": 30]
            if deadLetter { body["deadLetterPolicy"] = ["deadLetterTopic": "projects/p/topics/orders-dlq"] }
            _ = try await client.send(.put, "/v1/projects/p/subscriptions/first", body)
            _ = try await client.send(.put, "/v1/projects/p/subscriptions/second", body)
            try await test(client)
        }
    }

    /// Returns the message id.
    @discardableResult
    static func publish(_ client: EmulatorClient, _ text: String) async throws -> String? {
        let reply = try await client.send(
            .post,
            "/v1/projects/p/topics/orders:publish",
            ["messages": [["data": base64(text), "attributes": ["kind": "test"], "orderingKey": "k"]]]
        )
        return (reply.json["messageIds"] as? [String])?.first
    }

    @Test("A published message reaches every subscription with its data, attributes and publish time")
    func fanOut() async throws {
        try await Self.setUp(clock: ManualClock()) { client in
            let id = try #require(try await Self.publish(client, "hello"))
            for subscription in ["first", "second"] {
                let received = try await client.pull(subscription)
                #expect(received.count == 1)
                let payload = message(try #require(received.first))
                #expect(payload["data"] as? String == base64("hello"))
                #expect(payload["attributes"] as? [String: String] == ["kind": "test"])
                #expect(payload["messageId"] as? String == id)
                #expect(payload["orderingKey"] as? String == "k")
                #expect((payload["publishTime"] as? String)?.hasSuffix("Z") == true)
                #expect(received.first?["deliveryAttempt"] == nil)
            }
        }
    }

    @Test("An empty pull answers {} and maxMessages must be positive")
    func emptyPull() async throws {
        try await Self.setUp(clock: ManualClock()) { client in
            let reply = try await client.send(.post, "/v1/projects/p/subscriptions/first:pull", ["maxMessages": 5])
            #expect(reply.status == 200)
            #expect(reply.json.isEmpty)
            #expect(
                try await client.send(.post, "/v1/projects/p/subscriptions/first:pull", [String: Any]()).status == 400
            )
            #expect(
                try await client.send(.post, "/v1/projects/p/subscriptions/nothere:pull", ["maxMessages": 1]).status
                    == 404
            )
        }
    }

    @Test("An acknowledged message is not delivered again, and unknown ack ids are not errors")
    func acknowledge() async throws {
        let clock = ManualClock()
        try await Self.setUp(clock: clock) { client in
            try await Self.publish(client, "hello")
            let ackId = try #require(try await client.pull("first").first?["ackId"] as? String)
            let reply = try await client.send(
                .post,
                "/v1/projects/p/subscriptions/first:acknowledge",
                ["ackIds": [ackId, "unknown"]]
            )
            #expect(reply.status == 200)
            clock.advance(seconds: 60)
            #expect(try await client.pull("first").isEmpty)
            #expect(try await client.pull("second").count == 1)
        }
    }

    @Test("An unacknowledged message is redelivered after its deadline with deliveryAttempt incremented")
    func redelivery() async throws {
        let clock = ManualClock()
        try await Self.setUp(clock: clock, deadLetter: true) { client in
            let id = try #require(try await Self.publish(client, "hello"))
            #expect(try await client.pull("first").first?["deliveryAttempt"] as? Int == 1)
            clock.advance(seconds: 29)
            #expect(try await client.pull("first").isEmpty)
            clock.advance(seconds: 2)
            let again = try await client.pull("first")
            #expect(again.first?["deliveryAttempt"] as? Int == 2)
            #expect(message(try #require(again.first))["messageId"] as? String == id)
        }
    }

    @Test("modifyAckDeadline 0 makes a message pullable at once, and a longer deadline holds it back")
    func nack() async throws {
        let clock = ManualClock()
        try await Self.setUp(clock: clock) { client in
            try await Self.publish(client, "hello")
            let path = "/v1/projects/p/subscriptions/first:modifyAckDeadline"
            let ackId = try #require(try await client.pull("first").first?["ackId"] as? String)
            #expect(try await client.send(.post, path, ["ackIds": [ackId], "ackDeadlineSeconds": 0]).status == 200)
            let again = try #require(try await client.pull("first").first?["ackId"] as? String)
            #expect(try await client.send(.post, path, ["ackIds": [again], "ackDeadlineSeconds": 120]).status == 200)
            clock.advance(seconds: 100)
            #expect(try await client.pull("first").isEmpty)
            #expect(try await client.send(.post, path, ["ackIds": [again], "ackDeadlineSeconds": 601]).status == 400)
        }
    }

    @Test("A subscription created after a publish does not receive the earlier messages")
    func fanOutAtPublishTime() async throws {
        try await Self.setUp(clock: ManualClock()) { client in
            try await Self.publish(client, "before")
            _ = try await client.send(.put, "/v1/projects/p/subscriptions/late", ["topic": "projects/p/topics/orders"])
            #expect(try await client.pull("late").isEmpty)
            try await Self.publish(client, "after")
            let received = try await client.pull("late")
            #expect(received.compactMap { message($0)["data"] as? String } == [base64("after")])
        }
    }
}
