import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PubSubEmulator

/// A JSON reply from the emulator.
struct Reply {
    let status: Int
    let json: [String: Any]

    var errorMessage: String { ((self.json["error"] as? [String: Any])?["message"] as? String) ?? "" }
    var errorStatus: String { ((self.json["error"] as? [String: Any])?["status"] as? String) ?? "" }
}

/// Drives an emulator in-process through HummingbirdTesting's router mode.
struct EmulatorClient {
    let client: any TestClientProtocol

    func send(_ method: HTTPRequest.Method, _ path: String, _ body: Any? = nil) async throws -> Reply {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        return try await self.sendRaw(method, path, data.map { String(decoding: $0, as: UTF8.self) })
    }

    func sendRaw(_ method: HTTPRequest.Method, _ path: String, _ text: String?) async throws -> Reply {
        try await self.client.execute(
            uri: path,
            method: method,
            headers: [.contentType: "application/json"],
            body: text.map { ByteBuffer(string: $0) }
        ) { response in
            let bytes = Data(response.body.readableBytesView)
            let json = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] ?? [:]
            return Reply(status: Int(response.status.code), json: json)
        }
    }

    /// Pulls and returns the received messages (empty when the reply is `{}`).
    func pull(_ subscription: String, max: Int = 10) async throws -> [[String: Any]] {
        let reply = try await self.send(
            .post,
            "/v1/projects/p/subscriptions/\(subscription):pull",
            ["maxMessages": max]
        )
        return reply.json["receivedMessages"] as? [[String: Any]] ?? []
    }

    static func run(
        _ emulator: LocalPubSub,
        _ test: @Sendable (EmulatorClient) async throws -> Void
    ) async throws {
        let application = Application(responder: emulator.responder)
        try await application.test(.router) { client in try await test(EmulatorClient(client: client)) }
    }
}

func message(_ received: [String: Any]) -> [String: Any] { received["message"] as? [String: Any] ?? [:] }

func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
