import Foundation
import Hummingbird
import Logging
import PubSubEmulator
import Testing

/// The local Pub/Sub service in this process, pushing through a ``ChaosProxy`` to a real `contrail serve`.
struct FaultPipeline {
    let pubsub: RawHTTPConnection
    let project = "/v1/projects/chaos"

    /// Creates topic `events` with dead-letter topic `events-dlq` (kept by `dlq-pull`) and a push subscription
    /// to `endpoint`.
    func create(endpoint: String, maxDeliveryAttempts: Int) async throws {
        for topic in ["events", "events-dlq"] {
            #expect(try await self.send("PUT", "/topics/\(topic)", [String: Any]())?.status == 200)
        }
        #expect(
            try await self.send("PUT", "/subscriptions/dlq-pull", ["topic": "projects/chaos/topics/events-dlq"])?.status
                == 200
        )
        let subscription: [String: Any] = [
            "topic": "projects/chaos/topics/events", "ackDeadlineSeconds": 10,
            "pushConfig": ["pushEndpoint": endpoint],
            "retryPolicy": ["minimumBackoff": "0.1s", "maximumBackoff": "1s"],
            "deadLetterPolicy": [
                "deadLetterTopic": "projects/chaos/topics/events-dlq", "maxDeliveryAttempts": maxDeliveryAttempts,
            ],
        ]
        #expect(try await self.send("PUT", "/subscriptions/ingest", subscription)?.status == 200)
    }

    /// Publishes `ids` (as data), those in `poison` with a `poison` attribute; returns the message ids by data.
    func publish(_ ids: [String], poison: Set<String> = []) async throws -> [String: String] {
        let messages = ids.map { id -> [String: Any] in
            [
                "data": Data(id.utf8).base64EncodedString(),
                "attributes": poison.contains(id) ? ["poison": "yes"] : ["n": id],
            ]
        }
        let reply = try #require(try await self.send("POST", "/topics/events:publish", ["messages": messages])?.json)
        let messageIds = try #require(reply["messageIds"] as? [String])
        return Dictionary(uniqueKeysWithValues: zip(ids, messageIds))
    }

    /// Pulls and acknowledges everything on `dlq-pull`; returns the dead letters' attributes by data.
    func drainDeadLetters() async throws -> [String: [String: String]] {
        var letters: [String: [String: String]] = [:]
        while true {
            let reply = try #require(
                try await self.send("POST", "/subscriptions/dlq-pull:pull", ["maxMessages": 1000])?.json
            )
            let received = reply["receivedMessages"] as? [[String: Any]] ?? []
            if received.isEmpty { return letters }
            for item in received {
                let message = item["message"] as? [String: Any] ?? [:]
                let data = (message["data"] as? String).flatMap { Data(base64Encoded: $0) }.map {
                    String(decoding: $0, as: UTF8.self)
                }
                letters[data ?? ""] = message["attributes"] as? [String: String] ?? [:]
            }
            let ackIds = received.compactMap { $0["ackId"] as? String }
            _ = try await self.send("POST", "/subscriptions/dlq-pull:acknowledge", ["ackIds": ackIds])
        }
    }

    private func send(_ method: String, _ path: String, _ body: Any) async throws -> RawHTTPConnection.Response? {
        try await self.pubsub.request(
            method,
            self.project + path,
            headers: [("Content-Type", "application/json")],
            body: JSONSerialization.data(withJSONObject: body)
        )
    }
}

/// Runs a local Pub/Sub service on a free port, delivering with the real push loop, while `body` runs.
///
/// Push backoff is capped at 3 s instead of Pub/Sub's 60 s: an outage drives the NACK rate near one, and a minute's
/// pause after it would only stretch the test, not change what it proves.
func withLocalPubSub<Result: Sendable>(_ body: (FaultPipeline) async throws -> Result) async throws -> Result {
    let port = try freePort()
    let emulator = try LocalPubSub(path: temporaryDirectory().appendingPathComponent("pubsub.sqlite").path)
    let server = Task {
        try await emulator.application(host: "127.0.0.1", port: port, logger: Logger(label: "pubsub")).runService()
    }
    let pushDeliverer = PushDeliverer(emulator: emulator, maximumPushBackoff: .seconds(3))
    let deliverer = Task { await pushDeliverer.run(interval: .milliseconds(20)) }
    defer {
        deliverer.cancel()
        server.cancel()
    }
    let pipeline = FaultPipeline(pubsub: RawHTTPConnection(port: port))
    try await waitFor("the Pub/Sub service") {
        (try? await pipeline.pubsub.request("GET", "/v1/projects/chaos/topics")) != nil
    }
    return try await body(pipeline)
}

@Suite(
    "Faults between Pub/Sub and the store lose nothing",
    .enabled(if: TemporaryPostgresServer.isAvailable),
    .serialized
)
struct FaultInjectionEndToEndTests {
    static let hostEnvironment: [String: String] = [:]

    @Test(
        "Random failures, host kills and a store outage: every message stored once or dead-lettered after its attempts",
        .timeLimit(.minutes(5))
    )
    func chaos() async throws {
        let postgres = try await TemporaryPostgresServer.start()
        let hostPort = try freePort()
        let environment = Self.hostEnvironment.merging(["DATABASE_URL": postgres.url, "PORT": "\(hostPort)"]) { $1 }
        var host = try await ContrailProcess.start(environment: environment)
        let proxy = ChaosProxy(failureRate: 0.1)
        let proxyPort = try freePort()
        let published = (0..<2000).map { "m\($0)" }
        let poison: Set<String> = Set((0..<4).map { "m\($0 * 500 + 7)" })

        // The cluster and the host are this test's own: stopped whether it passes, fails or throws.
        do {
            try await withLocalPubSub { pipeline in
                try await proxy.serve(port: proxyPort, hostPort: hostPort) {
                    try await pipeline.create(endpoint: "http://127.0.0.1:\(proxyPort)/push", maxDeliveryAttempts: 5)
                    var messageIds: [String: String] = [:]
                    for (batch, ids) in stride(from: 0, to: published.count, by: 100).map({
                        Array(published[$0..<$0 + 100])
                    }).enumerated() {
                        messageIds.merge(try await pipeline.publish(ids, poison: poison)) { $1 }
                        switch batch {
                        case 4, 12:
                            host.signal(SIGKILL)
                            _ = await host.waitForExit()
                            try await Task.sleep(for: .milliseconds(300))
                            host = try await ContrailProcess.start(environment: environment)
                        case 8:
                            try await postgres.stop()
                            try await Task.sleep(for: .seconds(2))
                            try await postgres.start()
                        default:
                            try await Task.sleep(for: .milliseconds(200))
                        }
                    }

                    var stored: [String] = []
                    var deadLetters: [String: [String: String]] = [:]
                    let deadline = ContinuousClock.now.advanced(by: .seconds(240))
                    while ContinuousClock.now < deadline {
                        deadLetters.merge(try await pipeline.drainDeadLetters()) { $1 }
                        stored = (try? await storedIDs(port: hostPort)) ?? stored
                        if Set(stored).union(deadLetters.keys.compactMap { messageIds[$0] }).count == published.count {
                            break
                        }
                        try await Task.sleep(for: .seconds(1))
                    }

                    #expect(stored.count == Set(stored).count, "a message was stored twice")
                    let lost = Set(messageIds.values).subtracting(stored).subtracting(
                        deadLetters.keys.compactMap { messageIds[$0] }
                    )
                    #expect(lost.isEmpty, "lost \(lost.count) messages")
                    // Poison always dead-letters; an ordinary message only if the faults failed all five of its
                    // attempts, and then the proxy saw its fifth fail.
                    #expect(poison.isSubset(of: deadLetters.keys))
                    let exhausted = Set(
                        await proxy.attempts.filter { $0.deliveryAttempt >= 5 && $0.status >= 300 }.map(\.messageId)
                    )
                    #expect(exhausted == Set(deadLetters.keys.compactMap { messageIds[$0] }))
                    for attributes in deadLetters.values {
                        #expect(attributes["CloudPubSubDeadLetterSourceDeliveryCount"] == "5")
                        #expect(attributes["CloudPubSubDeadLetterSourceSubscription"] == "ingest")
                    }
                    let attempts = await proxy.attempts
                    #expect(attempts.count > published.count, "the faults caused no redelivery at all")
                }
            }
        } catch {
            host.signal(SIGKILL)
            await postgres.remove()
            throw error
        }
        host.signal(SIGKILL)
        await postgres.remove()
    }

    @Test(
        "A consumer slower than the ack deadline gets the message again, and it is still stored once",
        .timeLimit(.minutes(2))
    )
    func slowConsumer() async throws {
        let hostPort = try freePort()
        let host = try await ContrailProcess.start(
            environment: Self.hostEnvironment.merging(["PORT": "\(hostPort)"]) { $1 }
        )
        defer { host.signal(SIGKILL) }
        let proxy = ChaosProxy(failureRate: 0, holdFirstAttempt: .seconds(12))
        let proxyPort = try freePort()
        try await withLocalPubSub { pipeline in
            try await proxy.serve(port: proxyPort, hostPort: hostPort) {
                try await pipeline.create(endpoint: "http://127.0.0.1:\(proxyPort)/push", maxDeliveryAttempts: 10)
                let messageIds = try await pipeline.publish((0..<5).map { "slow\($0)" })
                try await waitFor("redeliveries after the ack deadline", seconds: 40) {
                    await proxy.attempts.count >= 10
                }
                let stored = try await storedIDs(port: hostPort)
                #expect(stored.sorted() == messageIds.values.sorted())
                let attempts = await proxy.attempts
                for id in messageIds.values {
                    // Answers are recorded when given: the held first one comes after the redelivery.
                    #expect(Set(attempts.filter { $0.messageId == id }.map(\.deliveryAttempt)).isSuperset(of: [1, 2]))
                }
            }
        }
    }
}
