import AsyncHTTPClient
import ContrailHost
import ContrailKit
import Foundation
import Hummingbird
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1
import PubSubEmulator
import Testing

@testable import Contrail

@Suite("contrail dev creates what the registry's triggers declare")
struct DevPipelineTests {
    /// Two message functions on topics of their own, one with every setting, and an HTTP function.
    static func registry(
        ackDeadline: Duration = .seconds(30),
        messageOrdering: Bool = true,
        filter: String = #"attributes.kind = "order""#
    ) throws -> FunctionRegistry {
        var registry = FunctionRegistry()
        try registry.onMessage(
            "orders",
            trigger: MessageTrigger(
                topic: "orders",
                ackDeadline: ackDeadline,
                retryPolicy: MessageTrigger.RetryPolicy(minimumBackoff: .seconds(2), maximumBackoff: .seconds(20)),
                maxDeliveryAttempts: 7,
                payloadFormat: .unwrapped(writeMetadata: true),
                messageOrdering: messageOrdering,
                filter: filter
            )
        ) { _, _ in }
        try registry.onMessage("audit", trigger: MessageTrigger(topic: "audit-log")) { _, _ in }
        try registry.onMessage("undeclared") { _, _ in }
        try registry.onHTTP("hello") { _, _ in .text("hi") }
        return registry
    }

    @Test("every declared topic, push subscription and dead-letter topic exists with the declared settings")
    func createsDeclaredResources() async throws {
        try await withDevPubSub { port, emulator in
            let pipeline = DevPipeline(registry: try Self.registry(), project: "p", pubsubPort: port, hostPort: 9999)
            try await pipeline.create(using: HTTPClient.shared, emulator: emulator, logger: Logger(label: "dev"))

            let topics = try await getJSON(port, "/v1/projects/p/topics")["topics"] as? [[String: Any]] ?? []
            #expect(
                Set(topics.compactMap { $0["name"] as? String }) == [
                    "projects/p/topics/orders", "projects/p/topics/orders-dead-letter", "projects/p/topics/audit-log",
                ]
            )

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
        try await withDevPubSub { port, emulator in
            let logs = InMemoryLogHandler()
            let logger = Logger(label: "dev") { _ in logs }
            let first = DevPipeline(registry: try Self.registry(), project: "p", pubsubPort: port, hostPort: 9999)
            try await first.create(using: HTTPClient.shared, emulator: emulator, logger: logger)
            try await publishOrders(port, count: 2)
            let second = DevPipeline(
                registry: try Self.registry(ackDeadline: .seconds(90)),
                project: "p",
                pubsubPort: port,
                hostPort: 9999
            )
            try await second.create(using: HTTPClient.shared, emulator: emulator, logger: logger)
            let orders = try await getJSON(port, "/v1/projects/p/subscriptions/orders-push")
            #expect(orders["ackDeadlineSeconds"] as? Int == 90)
            // Updated in place: the subscription keeps its messages, and nothing is worth a warning.
            let name = "projects/p/subscriptions/orders-push"
            #expect(try await emulator.unacknowledgedMessageCount(subscription: name) == 2)
            #expect(logs.entries.filter { $0.level >= .warning }.isEmpty)
        }
    }

    @Test("a changed filter or message ordering recreates the subscription and warns of the messages it drops")
    func recreatesOnFixedSettingChange() async throws {
        try await withDevPubSub { port, emulator in
            let logs = InMemoryLogHandler()
            let logger = Logger(label: "dev") { _ in logs }
            let name = "projects/p/subscriptions/orders-push"
            let first = DevPipeline(registry: try Self.registry(), project: "p", pubsubPort: port, hostPort: 9999)
            try await first.create(using: HTTPClient.shared, emulator: emulator, logger: logger)
            try await publishOrders(port, count: 3)
            #expect(try await emulator.unacknowledgedMessageCount(subscription: name) == 3)

            let refunds = #"attributes.kind = "refund""#
            let second = DevPipeline(
                registry: try Self.registry(messageOrdering: false, filter: refunds),
                project: "p",
                pubsubPort: port,
                hostPort: 9999
            )
            try await second.create(using: HTTPClient.shared, emulator: emulator, logger: logger)

            let orders = try await getJSON(port, "/v1/projects/p/subscriptions/orders-push")
            #expect(orders["filter"] as? String == refunds)
            #expect(orders["enableMessageOrdering"] as? Bool ?? false == false)
            #expect((orders["deadLetterPolicy"] as? [String: Any])?["maxDeliveryAttempts"] as? Int == 7)
            #expect(try await emulator.unacknowledgedMessageCount(subscription: name) == 0)

            let warnings = logs.entries.filter { $0.level == .warning }
            #expect(warnings.count == 1)
            let warning = try #require(warnings.first)
            let text = "\(warning.message)"
            #expect(text.contains(name))
            #expect(text.contains(#"filter 'attributes.kind = "order"' → 'attributes.kind = "refund"'"#))
            #expect(text.contains("message ordering on → off"))
            #expect(text.contains("its 3 unacknowledged messages are dropped"))
            #expect(warning.metadata["dropped_messages"]?.description == "3")
            #expect(warning.metadata["subscription"] == "\(name)")

            // Run once more with the same declaration: nothing is recreated again.
            try await second.create(using: HTTPClient.shared, emulator: emulator, logger: logger)
            #expect(logs.entries.filter { $0.level == .warning }.count == 1)
        }
    }
}

/// Publishes `count` messages with `kind=order` to the topic `orders`.
private func publishOrders(_ port: Int, count: Int) async throws {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/projects/p/topics/orders:publish")
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    let message = #"{"data":"e30=","attributes":{"kind":"order"},"orderingKey":"k"}"#
    let messages = Array(repeating: message, count: count).joined(separator: ",")
    request.body = .bytes(ByteBuffer(string: #"{"messages":[\#(messages)]}"#))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
    #expect(response.status == .ok)
}

/// Runs a local Pub/Sub service on a free port while `body` runs.
private func withDevPubSub(_ body: (Int, LocalPubSub) async throws -> Void) async throws {
    let port = try freePort()
    let emulator = try LocalPubSub(path: ":memory:")
    let server = Task {
        try await emulator.application(host: "127.0.0.1", port: port, logger: Logger(label: "pubsub")).runService()
    }
    defer { server.cancel() }
    try await waitFor("the Pub/Sub service") { (try? await getJSON(port, "/v1/projects/p/topics")) != nil }
    try await body(port, emulator)
}

private func getJSON(_ port: Int, _ path: String) async throws -> [String: Any] {
    let response = try await HTTPClient.shared.execute(
        HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
        timeout: .seconds(5)
    )
    let body = try await response.body.collect(upTo: 1 << 20)
    return try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
}
