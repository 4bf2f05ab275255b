import ContrailKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PubSubEmulator
import Testing

/// Fails each message as many times as its data says (`fail-3` fails three times), recording every attempt.
actor FlakyEndpoint {
    struct Attempt {
        let data: String
        let deliveryAttempt: Int
        let at: Date
    }

    private(set) var attempts: [Attempt] = []

    func receive(_ json: [String: Any], at now: Date) -> Int {
        let message = json["message"] as? [String: Any] ?? [:]
        let data =
            (message["data"] as? String).flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
            ?? ""
        let attempt = json["deliveryAttempt"] as? Int ?? 0
        self.attempts.append(Attempt(data: data, deliveryAttempt: attempt, at: now))
        let failures = Int(data.split(separator: "-").last ?? "") ?? 0
        return attempt <= failures ? 503 : 204
    }
}

@Suite("An endpoint that fails a set number of times")
struct FlakyEndpointTests {
    @Test("Backoff spaces the attempts, deliveryAttempt counts them, dead letters carry their source, nothing is lost")
    func failsThenRecoversOrDeadLetters() async throws {
        let clock = ManualClock()
        let flaky = FlakyEndpoint()
        let router = Router()
        router.post("/push") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
            return Response(status: HTTPResponse.Status(code: await flaky.receive(json, at: clock.now.date)))
        }
        let endpoint = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let published = (0..<8).map { "fail-\($0)" }
        try await endpoint.test(.live) { live in
            let url = "http://127.0.0.1:\(try #require(live.port))/push"
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
                let created = try await client.send(
                    .put,
                    "/v1/projects/p/subscriptions/push",
                    [
                        "topic": "projects/p/topics/orders", "ackDeadlineSeconds": 10,
                        "pushConfig": ["pushEndpoint": url],
                        "retryPolicy": ["minimumBackoff": "10s", "maximumBackoff": "600s"],
                        "deadLetterPolicy": [
                            "deadLetterTopic": "projects/p/topics/orders-dlq", "maxDeliveryAttempts": 5,
                        ],
                    ]
                )
                #expect(created.status == 200)
                let reply = try await client.send(
                    .post,
                    "/v1/projects/p/topics/orders:publish",
                    ["messages": published.map { ["data": base64($0)] }]
                )
                #expect((reply.json["messageIds"] as? [String])?.count == 8)

                for _ in 0..<1200 {
                    await deliverer.deliverDue()
                    clock.advance(seconds: 1)
                }

                let attempts = await flaky.attempts
                let acknowledged = Set(
                    attempts.filter { $0.deliveryAttempt > (Int($0.data.split(separator: "-")[1]) ?? 0) }.map(\.data)
                )
                #expect(acknowledged == Set(published.prefix(5)))
                for (index, data) in published.enumerated() {
                    let mine = attempts.filter { $0.data == data }
                    #expect(mine.map(\.deliveryAttempt) == Array(1...min(index + 1, 5)), "\(data)")
                    for (number, pair) in zip(mine, mine.dropFirst()).enumerated() {
                        let gap = pair.1.at.timeIntervalSince(pair.0.at)
                        let backoff = 10 * pow(2, Double(number))
                        // At least the retry policy's delay. The push backoff may add pauses on top, as long as the
                        // NACK rate stays high, so there is no upper bound to hold it to (Pub/Sub promises none).
                        #expect(gap >= backoff, "\(data): gap \(gap) after attempt \(number + 1)")
                    }
                }

                let dead = try await client.pull("dlq-pull")
                let deadData = dead.compactMap { (message($0)["data"] as? String).flatMap { Data(base64Encoded: $0) } }
                    .map { String(decoding: $0, as: UTF8.self) }
                #expect(Set(deadData) == Set(published.suffix(3)))
                #expect(deadData.count == 3)
                for received in dead {
                    let attributes = message(received)["attributes"] as? [String: String] ?? [:]
                    #expect(attributes["CloudPubSubDeadLetterSourceDeliveryCount"] == "5")
                    #expect(attributes["CloudPubSubDeadLetterSourceSubscription"] == "push")
                    #expect(attributes["CloudPubSubDeadLetterSourceSubscriptionProject"] == "p")
                    #expect(attributes["CloudPubSubDeadLetterSourceTopicPublishTime"]?.hasSuffix("Z") == true)
                }
                #expect(acknowledged.union(deadData).count == published.count)
                #expect(try await client.pull("push").isEmpty)
            }
        }
    }
}
