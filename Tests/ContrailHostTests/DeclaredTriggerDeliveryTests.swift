import ContrailHost
import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Synchronization
import Testing

@Suite("A message function reads each delivery in the form its trigger declares")
struct DeclaredTriggerDeliveryTests {
    private let client: FunctionTestClient
    private let receivedMessages: ReceivedMessages

    init() throws {
        var registry = FunctionRegistry()
        let received = ReceivedMessages()
        self.receivedMessages = received
        let record: @Sendable (PubSubMessage, FunctionContext) async throws -> Void = { message, _ in
            received.add(message)
        }
        try registry.onMessage(
            "raw",
            trigger: MessageTrigger(topic: "raw", payloadFormat: .unwrapped(writeMetadata: false)),
            record
        )
        try registry.onMessage(
            "headers",
            trigger: MessageTrigger(topic: "h", payloadFormat: .unwrapped(writeMetadata: true)),
            record
        )
        try registry.onMessage("wrapped", trigger: MessageTrigger(topic: "w"), record)
        try registry.onMessage("any", record)
        self.client = try FunctionTestClient(registry: registry)
    }

    private func post(_ path: String, _ body: Data, _ fields: HTTPFields = [:]) async -> FunctionResponse {
        await self.client.send(method: .post, path: path, headerFields: fields, body: body)
    }

    @Test("noWrapper without metadata: any body, JSON or not, is the message's bytes and is acknowledged")
    func unwrappedTakesAnyBody() async throws {
        for body in [Data([0xFF, 0x00, 0x7B]), Data("plain text".utf8), Data(#"{"message":{"messageId":"x"}}"#.utf8)] {
            #expect(await self.post("/raw", body).status == .noContent)
            #expect(self.receivedMessages.last?.data == body)
        }
    }

    @Test("noWrapper with metadata: the id and attributes come from the x-goog-pubsub headers")
    func unwrappedWithMetadata() async throws {
        let fields: HTTPFields = [
            HTTPField.Name("x-goog-pubsub-message-id")!: "42", HTTPField.Name("kind")!: "reading",
        ]
        #expect(await self.post("/headers", Data("21.5".utf8), fields).status == .noContent)
        #expect(self.receivedMessages.last?.id == "42")
        #expect(self.receivedMessages.last?.attributes["kind"] == "reading")
    }

    @Test("the wrapped form takes the push envelope and refuses any other body with a 400 that says so")
    func wrappedTakesOnlyTheEnvelope() async throws {
        let envelope = Data(
            #"{"message":{"data":"aGk=","messageId":"7"},"subscription":"projects/p/subscriptions/s"}"#.utf8
        )
        #expect(await self.post("/wrapped", envelope).status == .noContent)
        #expect(self.receivedMessages.last?.id == "7")
        let cloudEvent = Data(
            #"{"specversion":"1.0","type":"google.cloud.pubsub.topic.v1.messagePublished","id":"1","source":"//pubsub.googleapis.com/projects/p/topics/t","data":{"message":{"data":"aGk=","messageId":"1"}}}"#
                .utf8
        )
        let notAnEnvelope = await self.post("/wrapped", cloudEvent)
        #expect(notAnEnvelope.status == .badRequest)
        #expect(String(decoding: notAnEnvelope.body, as: UTF8.self).contains("push envelope"))
        let notJSON = await self.post("/wrapped", Data("plain text".utf8))
        #expect(notJSON.status == .badRequest)
        #expect(String(decoding: notJSON.body, as: UTF8.self).contains("a Pub/Sub push body is"))
    }

    @Test("without a trigger every form is read as before, and a body that is none of them is a 400")
    func undeclaredReadsEveryForm() async throws {
        let cloudEvent = Data(
            #"{"specversion":"1.0","type":"google.cloud.pubsub.topic.v1.messagePublished","id":"1","source":"//pubsub.googleapis.com/projects/p/topics/t","data":{"message":{"data":"aGk=","messageId":"1"}}}"#
                .utf8
        )
        #expect(await self.post("/any", cloudEvent).status == .noContent)
        #expect(await self.post("/any", Data("plain text".utf8)).status == .badRequest)
    }
}

/// The messages the handlers received, in order.
private final class ReceivedMessages: Sendable {
    private let messages = Mutex<[PubSubMessage]>([])

    func add(_ message: PubSubMessage) { self.messages.withLock { $0.append(message) } }
    var last: PubSubMessage? { self.messages.withLock { $0.last } }
}
