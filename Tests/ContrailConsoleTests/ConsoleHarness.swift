import ContrailKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PubSubEmulator
import Synchronization

@testable import ContrailConsole

/// A JSON answer.
struct Reply {
    let status: Int
    let json: [String: Any]
    let text: String
    let location: String?

    var errorStatus: String? { (self.json["error"] as? [String: Any])?["status"] as? String }
}

/// A clock that moves only when a test advances it.
final class ManualClock: Sendable {
    private let current = Mutex(Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000))

    var wallClock: WallClock { WallClock { [self] in self.current.withLock { $0 } } }
}

/// The console over an in-memory local Pub/Sub service, both driven in process: topic `orders` with a push
/// subscription `push` (to a closed port, dead letters to `orders-dead-letter` after 5 attempts), a pull
/// subscription `held`, and `orders-dead-letter-pull` keeping the dead letters.
struct ConsoleHarness {
    let pubsub: any TestClientProtocol
    let console: any TestClientProtocol
    let deliverer: PushDeliverer
    let journal: InvocationJournal

    static func run(_ test: @Sendable @escaping (ConsoleHarness) async throws -> Void) async throws {
        let emulator = try LocalPubSub(path: ":memory:", clock: ManualClock().wallClock)
        let deliverer = PushDeliverer(emulator: emulator, maximumPushBackoff: .seconds(1))
        let journal = InvocationJournal()
        let console = Console(
            functions: [Console.Function(name: "ingest", url: "http://127.0.0.1:8080/ingest", trigger: nil)],
            journal: journal,
            pubsub: emulator,
            deliverer: deliverer,
            project: "p"
        )
        try await Application(responder: emulator.responder).test(.router) { pubsub in
            try await Application(router: ConsoleRouter(console: console).router()).test(.router) { client in
                let harness = ConsoleHarness(pubsub: pubsub, console: client, deliverer: deliverer, journal: journal)
                for topic in ["orders", "orders-dead-letter"] {
                    try await harness.send(harness.pubsub, .put, "/v1/projects/p/topics/\(topic)", json: "{}")
                }
                try await harness.send(
                    harness.pubsub,
                    .put,
                    "/v1/projects/p/subscriptions/push",
                    json: """
                        {"topic": "projects/p/topics/orders", "pushConfig": {"pushEndpoint": "http://127.0.0.1:9/push"},
                         "deadLetterPolicy": {"deadLetterTopic": "projects/p/topics/orders-dead-letter", "maxDeliveryAttempts": 5}}
                        """
                )
                try await harness.send(
                    harness.pubsub,
                    .put,
                    "/v1/projects/p/subscriptions/held",
                    json: #"{"topic": "projects/p/topics/orders"}"#
                )
                try await harness.send(
                    harness.pubsub,
                    .put,
                    "/v1/projects/p/subscriptions/orders-dead-letter-pull",
                    json: #"{"topic": "projects/p/topics/orders-dead-letter"}"#
                )
                try await test(harness)
            }
        }
    }

    @discardableResult
    func send(
        _ client: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ path: String,
        json: String? = nil,
        form: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = headers
        if json != nil { headers[.contentType] = "application/json" }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        return try await client.execute(
            uri: path,
            method: method,
            headers: headers,
            body: (json ?? form).map { ByteBuffer(string: $0) }
        ) { response in
            let bytes = Data(response.body.readableBytesView)
            return Reply(
                status: Int(response.status.code),
                json: (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] ?? [:],
                text: String(decoding: bytes, as: UTF8.self),
                location: response.headers[.location]
            )
        }
    }

    func api(
        _ method: HTTPRequest.Method,
        _ path: String,
        json: String? = nil,
        headers: HTTPFields = [:]
    ) async throws
        -> Reply
    {
        try await self.send(self.console, method, "/api/v1" + path, json: json, headers: headers)
    }

    /// Publishes `text` to `orders` through the Pub/Sub API; returns the message id.
    @discardableResult
    func publish(_ text: String, attributes: [String: String] = ["kind": "test"]) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: [
            "messages": [["data": Data(text.utf8).base64EncodedString(), "attributes": attributes]]
        ])
        let reply = try await self.send(
            self.pubsub,
            .post,
            "/v1/projects/p/topics/orders:publish",
            json: String(decoding: body, as: UTF8.self)
        )
        return (reply.json["messageIds"] as? [String])?.first ?? ""
    }

    func subscription(_ id: String) async throws -> [String: Any] {
        let all = try await self.api(.get, "/subscriptions").json["subscriptions"] as? [[String: Any]] ?? []
        return all.first { $0["id"] as? String == id } ?? [:]
    }

    func backlog(_ id: String) async throws -> Int {
        try await self.subscription(id)["backlog"] as? Int ?? -1
    }

    func deadLetters() async throws -> [[String: Any]] {
        try await self.api(.get, "/dead-letters").json["deadLetters"] as? [[String: Any]] ?? []
    }
}
