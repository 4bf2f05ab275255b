import AsyncHTTPClient
@testable import Contrail
import ContrailHost
import ContrailKit
import Foundation
import Hummingbird
import Logging
import PubSubEmulator
import Testing

@Suite("contrail dev creates what the registry's triggers declare")
struct DevPipelineTests {
    /// Two message functions on topics of their own, one with every setting, and an HTTP function.
    static func registry(ackDeadline: Duration = .seconds(30)) throws -> FunctionRegistry {
        var registry = FunctionRegistry()
        try registry.onMessage(
            "orders",
            trigger: MessageTrigger(
                topic: "orders",
                ackDeadline: ackDeadline,
                retryPolicy: MessageTrigger.RetryPolicy(minimumBackoff: .seconds(2), maximumBackoff: .seconds(20)),
                maxDeliveryAttempts: 7,
                payloadFormat: .unwrapped(writeMetadata: true),
                messageOrdering: true,
                filter: #"attributes.kind = "order""#
            )
        ) { _, _ in }
        try registry.onMessage("audit", trigger: MessageTrigger(topic: "audit-log")) { _, _ in }
        try registry.onMessage("undeclared") { _, _ in }
        try registry.onHTTP("hello") { _, _ in .text("hi") }
        return registry
    }

    @Test("every declared topic, push subscription and dead-letter topic exists with the declared settings")
    func createsDeclaredResources() async throws {
        try await withDevPubSub { port in
            let pipeline = DevPipeline(registry: try Self.registry(), project: "p", pubsubPort: port, hostPort: 9999)
            try await pipeline.create(using: HTTPClient.shared)

            let topics = try await getJSON(port, "/v1/projects/p/topics")["topics"] as? [[String: Any]] ?? []
            #expect(Set(topics.compactMap { $0["name"] as? String }) == [
                "projects/p/topics/orders", "projects/p/topics/orders-dead-letter", "projects/p/topics/audit-log",
            ])

            let orders = try await getJSON(port, "/v1/projects/p/subscriptions/orders-push")
            #expect(orders["topic"] as? String == "projects/p/topics/orders")
            #expect(orders["ackDeadlineSeconds"] as? Int == 30)
            #expect(orders["enableMessageOrdering"] as? Bool == true)
            #expect(orders["filter"] as? String == #"attributes.kind = "order""#)
            let push = try #require(orders["pushConfig"] as? [String: Any])
            let endpoint = "http://127.0.0.1:9999/orders/projects/p/topics/orders"
            #expect(push["pushEndpoint"] as? String == endpoint)
            #expect((push["oidcToken"] as? [String: Any])?["audience"] as? String == endpoint)
            #expect((push["noWrapper"] as? [String: Any])?["writeMetadata"] as? Bool == true)
            let retry = try #require(orders["retryPolicy"] as? [String: Any])
            #expect(retry["minimumBackoff"] as? String == "2s")
            #expect(retry["maximumBackoff"] as? String == "20s")
            let deadLetter = try #require(orders["deadLetterPolicy"] as? [String: Any])
            #expect(deadLetter["deadLetterTopic"] as? String == "projects/p/topics/orders-dead-letter")
            #expect(deadLetter["maxDeliveryAttempts"] as? Int == 7)
            let keeper = try await getJSON(port, "/v1/projects/p/subscriptions/orders-dead-letter-pull")
            #expect(keeper["topic"] as? String == "projects/p/topics/orders-dead-letter")

            // Pub/Sub's defaults where the trigger says nothing.
            let audit = try await getJSON(port, "/v1/projects/p/subscriptions/audit-push")
            #expect(audit["topic"] as? String == "projects/p/topics/audit-log")
            #expect(audit["ackDeadlineSeconds"] as? Int == 10)
            #expect(audit["retryPolicy"] == nil)
            #expect(audit["deadLetterPolicy"] == nil)
            #expect((audit["pushConfig"] as? [String: Any])?["noWrapper"] == nil)

            // Each token's audience is its function's push endpoint, and the host accepts exactly those.
            #expect(
                pipeline.pushAuthentication.audiences
                    == [endpoint, "http://127.0.0.1:9999/audit/projects/p/topics/audit-log"]
            )
            #expect(pipeline.banner.contains("hello  http://127.0.0.1:9999/hello"))
            #expect(pipeline.banner.contains("--topic audit-log"))
        }
    }

    @Test("run again with changed settings, it brings the existing subscription to them")
    func bringsExistingToDeclared() async throws {
        try await withDevPubSub { port in
            let first = DevPipeline(registry: try Self.registry(), project: "p", pubsubPort: port, hostPort: 9999)
            try await first.create(using: HTTPClient.shared)
            let second = DevPipeline(
                registry: try Self.registry(ackDeadline: .seconds(90)), project: "p", pubsubPort: port, hostPort: 9999
            )
            try await second.create(using: HTTPClient.shared)
            let orders = try await getJSON(port, "/v1/projects/p/subscriptions/orders-push")
            #expect(orders["ackDeadlineSeconds"] as? Int == 90)
        }
    }
}

/// Runs a local Pub/Sub service on a free port while `body` runs.
private func withDevPubSub(_ body: (Int) async throws -> Void) async throws {
    let port = try freePort()
    let emulator = try PubSubEmulator(path: ":memory:")
    let server = Task {
        try await emulator.application(host: "127.0.0.1", port: port, logger: Logger(label: "pubsub")).runService()
    }
    defer { server.cancel() }
    try await waitFor("the Pub/Sub service") { (try? await getJSON(port, "/v1/projects/p/topics")) != nil }
    try await body(port)
}

private func getJSON(_ port: Int, _ path: String) async throws -> [String: Any] {
    let response = try await HTTPClient.shared.execute(
        HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(5)
    )
    let body = try await response.body.collect(upTo: 1 << 20)
    return try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
}
