import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Push delivery")
struct PushDeliveryTests {
    /// An emulator with topics `orders` and `orders-dlq`, a pull subscription `dlq-pull` on the dead-letter topic,
    /// and a push subscription `push` on `orders` configured by `extra`.
    static func setUp(
        statuses: [Int],
        extra: [String: Any] = [:],
        pushConfig: [String: Any] = [:],
        _ test: @Sendable @escaping (EmulatorClient, PushDeliverer, PushRecorder, ManualClock) async throws -> Void
    ) async throws {
        let extraData = JSONObjectBox(extra)
        let pushData = JSONObjectBox(pushConfig)
        try await withPushEndpoint(statuses: statuses) { url, recorder in
            let clock = ManualClock()
            let emulator = try LocalPubSub(path: ":memory:", clock: clock.wallClock)
            let deliverer = PushDeliverer(emulator: emulator)
            try await EmulatorClient.run(emulator) { client in
                _ = try await client.send(.put, "/v1/projects/p/topics/orders")
                _ = try await client.send(.put, "/v1/projects/p/topics/orders-dlq")
                _ = try await client.send(
                    .put,
                    "/v1/projects/p/subscriptions/dlq-pull",
                    ["topic": "projects/p/topics/orders-dlq"]
                )
                var push = pushData.value
                push["pushEndpoint"] = url
                var body = extraData.value
                body["topic"] = "projects/p/topics/orders"
                body["ackDeadlineSeconds"] = 10
                body["pushConfig"] = push
                let created = try await client.send(.put, "/v1/projects/p/subscriptions/push", body)
                #expect(created.status == 200)
                try await test(client, deliverer, recorder, clock)
            }
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
        #expect(reply.status == 200)
        return (reply.json["messageIds"] as? [String])?.first
    }

    @Test("A published message arrives as the wrapped push body with both id spellings and is acked on 204")
    func wrappedAndAcked() async throws {
        try await Self.setUp(statuses: [204]) { client, deliverer, recorder, clock in
            let id = try #require(try await Self.publish(client, "hello"))
            await deliverer.deliverDue()
            let requests = await recorder.requests
            #expect(requests.count == 1)
            let request = try #require(requests.first)
            #expect(request.headers["content-type"] == "application/json")
            #expect(
                request.headers["user-agent"]
                    == "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)"
            )
            #expect(request.json["subscription"] as? String == "projects/p/subscriptions/push")
            #expect(request.json["deliveryAttempt"] == nil)
            let message = request.message
            #expect(message["data"] as? String == base64("hello"))
            #expect(message["attributes"] as? [String: String] == ["kind": "test"])
            #expect(message["messageId"] as? String == id)
            #expect(message["message_id"] as? String == id)
            #expect(message["orderingKey"] as? String == "k")
            let publishTime = try #require(message["publishTime"] as? String)
            #expect(message["publish_time"] as? String == publishTime)
            clock.advance(seconds: 60)
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 1)
            #expect(try await client.pull("push").isEmpty)
        }
    }

    @Test("Two 500s then a 204 make three attempts spaced by the retry policy's exponential backoff")
    func retryBackoff() async throws {
        let retry: [String: Any] = ["retryPolicy": ["minimumBackoff": "10s", "maximumBackoff": "600s"]]
        try await Self.setUp(statuses: [500, 500, 204], extra: retry) { client, deliverer, recorder, clock in
            let id = try #require(try await Self.publish(client, "hello"))
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 1)
            clock.advance(seconds: 9.9)
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 1)
            clock.advance(seconds: 0.1)
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 2)
            clock.advance(seconds: 19.9)
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 2)
            clock.advance(seconds: 0.1)
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 3)
            clock.advance(seconds: 600)
            await deliverer.deliverDue()
            let requests = await recorder.requests
            #expect(requests.count == 3)
            #expect(requests.map { $0.message["messageId"] as? String } == [id, id, id])
        }
    }

    @Test(
        "An endpoint that always fails gets maxDeliveryAttempts tries, then the message moves to the dead-letter topic"
    )
    func deadLetter() async throws {
        let policy: [String: Any] = [
            "deadLetterPolicy": ["deadLetterTopic": "projects/p/topics/orders-dlq", "maxDeliveryAttempts": 5]
        ]
        try await Self.setUp(statuses: [500], extra: policy) { client, deliverer, recorder, clock in
            try await Self.publish(client, "hello")
            for _ in 0..<10 {
                await deliverer.deliverDue()
                clock.advance(seconds: 120)
            }
            let requests = await recorder.requests
            #expect(requests.compactMap { $0.json["deliveryAttempt"] as? Int } == [1, 2, 3, 4, 5])
            let dead = try await client.pull("dlq-pull")
            #expect(dead.count == 1)
            let payload = message(try #require(dead.first))
            #expect(payload["data"] as? String == base64("hello"))
            let attributes = try #require(payload["attributes"] as? [String: String])
            #expect(attributes["kind"] == "test")
            #expect(attributes["CloudPubSubDeadLetterSourceDeliveryCount"] == "5")
            #expect(attributes["CloudPubSubDeadLetterSourceSubscription"] == "push")
            #expect(attributes["CloudPubSubDeadLetterSourceSubscriptionProject"] == "p")
            #expect(
                attributes["CloudPubSubDeadLetterSourceTopicPublishTime"] == requests.first?.message["publishTime"]
                    as? String
            )
            #expect(try await client.pull("push").isEmpty)
            clock.advance(seconds: 600)
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 5)
            #expect(try await client.pull("push").isEmpty)
        }
    }

    @Test("noWrapper with writeMetadata sends the raw data and the x-goog-pubsub metadata headers")
    func noWrapper() async throws {
        try await Self.setUp(statuses: [204], pushConfig: ["noWrapper": ["writeMetadata": true]]) {
            client,
            deliverer,
            recorder,
            _ in
            let id = try #require(try await Self.publish(client, "raw bytes"))
            await deliverer.deliverDue()
            let request = try #require(await recorder.requests.first)
            #expect(String(decoding: request.body, as: UTF8.self) == "raw bytes")
            #expect(request.headers["x-goog-pubsub-subscription-name"] == "projects/p/subscriptions/push")
            #expect(request.headers["x-goog-pubsub-message-id"] == id)
            #expect(request.headers["x-goog-pubsub-publish-time"]?.hasSuffix("Z") == true)
            #expect(request.headers["x-goog-pubsub-ordering-key"] == "k")
            #expect(request.headers["kind"] == "test")
        }
    }

    @Test("A 203 answer is a nack, so the message is pushed again after the push backoff")
    func nonAuthoritativeIsNack() async throws {
        try await Self.setUp(statuses: [203, 204]) { client, deliverer, recorder, clock in
            try await Self.publish(client, "hello")
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 1)
            // One failure in one push: a NACK rate of 0.2 pauses the subscription 0.1 s × 600^0.2 ≈ 0.36 s.
            clock.advance(seconds: 0.3)
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 1)
            clock.advance(seconds: 0.1)
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 2)
            clock.advance(seconds: 60)
            await deliverer.deliverDue()
            #expect(await recorder.requests.count == 2)
        }
    }
}

extension PushDeliveryTests {
    @Test("With message ordering, only one message per ordering key is outstanding at a time")
    func ordering() async throws {
        try await Self.setUp(statuses: [204], extra: ["enableMessageOrdering": true]) {
            client,
            deliverer,
            recorder,
            _ in
            try await Self.publish(client, "first")
            try await Self.publish(client, "second")
            await deliverer.deliverDue()
            #expect(await recorder.requests.map { $0.message["data"] as? String } == [base64("first")])
            await deliverer.deliverDue()
            #expect(
                await recorder.requests.map { $0.message["data"] as? String } == [base64("first"), base64("second")]
            )
        }
    }
}

/// Carries a JSON dictionary literal into a `@Sendable` closure; only read there.
struct JSONObjectBox: @unchecked Sendable {
    let value: [String: Any]
    init(_ value: [String: Any]) { self.value = value }
}
