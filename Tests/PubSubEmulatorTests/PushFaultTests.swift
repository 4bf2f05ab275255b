import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Push endpoints that hang, refuse or answer garbage")
struct PushFaultTests {
    /// A live emulator on the system clock with topic `orders` and one push subscription per (id, endpoint).
    static func withLiveEmulator(
        subscriptions: [(String, String)],
        ackDeadline: Int = 10,
        _ test: @Sendable (EmulatorClient, PushDeliverer) async throws -> Void
    ) async throws {
        let emulator = try LocalPubSub(path: ":memory:")
        // Endpoints here fail every push for a while, which drives the NACK rate towards one; Pub/Sub's full
        // minute of push backoff after that would only lengthen the test, so it is capped at two seconds.
        let deliverer = PushDeliverer(emulator: emulator, maximumPushBackoff: .seconds(2))
        try await EmulatorClient.run(emulator) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            for (id, endpoint) in subscriptions {
                let reply = try await client.send(
                    .put,
                    "/v1/projects/p/subscriptions/\(id)",
                    [
                        "topic": "projects/p/topics/orders", "ackDeadlineSeconds": ackDeadline,
                        "pushConfig": ["pushEndpoint": endpoint],
                    ]
                )
                #expect(reply.status == 200)
            }
            try await test(client, deliverer)
        }
    }

    static func publish(_ client: EmulatorClient, count: Int) async throws {
        let messages = (0..<count).map { ["data": base64("m\($0)")] }
        #expect(
            try await client.send(.post, "/v1/projects/p/topics/orders:publish", ["messages": messages]).status == 200
        )
    }

    /// Runs the deliverer's own loop while `body` runs, then stops it.
    static func running(_ deliverer: PushDeliverer, _ body: () async throws -> Void) async throws {
        let loop = Task { await deliverer.run(interval: .milliseconds(20)) }
        do { try await body() } catch {
            loop.cancel()
            await loop.value
            throw error
        }
        loop.cancel()
        await loop.value
    }

    @Test("A hanging endpoint holds back only its own subscription, and only as many messages as its window")
    func slowEndpointIsolated() async throws {
        try await withEndpoints { base, recorder, hanging in
            try await Self.withLiveEmulator(subscriptions: [("slow", "\(base)/hang"), ("fast", "\(base)/push")]) {
                client,
                deliverer in
                try await Self.publish(client, count: 10)
                try await Self.running(deliverer) {
                    try await waitUntil { await recorder.requests.count == 10 }
                    try await Task.sleep(for: .milliseconds(300))
                    // The window starts at 4 and grows only with acknowledgements, which a hanging endpoint never sends.
                    #expect(await hanging.received == 4)
                    #expect(await hanging.mostHeld == 4)
                }
            }
        }
    }

    @Test("A push unanswered within the ack deadline is a nack and is pushed again", .timeLimit(.minutes(1)))
    func hangTimesOut() async throws {
        try await withEndpoints { base, _, hanging in
            try await Self.withLiveEmulator(subscriptions: [("slow", "\(base)/hang")]) { client, deliverer in
                try await Self.publish(client, count: 1)
                try await Self.running(deliverer) {
                    try await waitUntil { await hanging.received == 1 }
                    try await waitUntil(seconds: 20) { await hanging.received == 2 }
                    #expect(try await client.send(.get, "/v1/projects/p/topics/orders").status == 200)
                }
            }
        }
    }

    @Test("Refused connections and garbage answers are nacks; once the endpoint is fixed, every message arrives")
    func refusedAndGarbage() async throws {
        try await withGarbageServer { garbage in
            try await withEndpoints { base, recorder, _ in
                try await Self.withLiveEmulator(subscriptions: [
                    ("refused", try await refusedURL()), ("garbage", garbage),
                ]) { client, deliverer in
                    try await Self.publish(client, count: 3)
                    try await Self.running(deliverer) {
                        try await Task.sleep(for: .milliseconds(500))
                        #expect(await recorder.requests.isEmpty)
                        #expect(try await client.send(.get, "/v1/projects/p/subscriptions/garbage").status == 200)
                        for id in ["refused", "garbage"] {
                            let fixed = try await client.send(
                                .post,
                                "/v1/projects/p/subscriptions/\(id):modifyPushConfig",
                                ["pushConfig": ["pushEndpoint": "\(base)/push"]]
                            )
                            #expect(fixed.status == 200)
                        }
                        try await waitUntil(seconds: 10) { await recorder.requests.count == 6 }
                    }
                    let data = await recorder.requests.compactMap { $0.message["data"] as? String }
                    #expect(data.sorted() == ["m0", "m0", "m1", "m1", "m2", "m2"].map(base64))
                }
            }
        }
    }
}

/// Polls `condition` every 20 ms; fails the test after `seconds`.
func waitUntil(seconds: Double = 5, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("condition not met within \(seconds) s")
}
