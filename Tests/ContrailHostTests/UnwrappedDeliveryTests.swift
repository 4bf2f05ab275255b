import ContrailHost
import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Testing

@Suite("Unwrapped push bodies (noWrapper)")
struct UnwrappedDeliveryTests {
    /// The example of cloud.google.com/pubsub/docs/payload-unwrapping, plus one more attribute header.
    static let metadataFields = HTTPFields([
        DeliveryRequest.field("x-goog-pubsub-subscription-name", "projects/user-project/subscriptions/mysub"),
        DeliveryRequest.field("x-goog-pubsub-message-id", "2070443601311540"),
        DeliveryRequest.field("x-goog-pubsub-publish-time", "2021-02-26T19:13:55.749Z"),
        DeliveryRequest.field("x-goog-pubsub-ordering-key", "some-key"),
        HTTPField(name: .contentType, value: "application/json"),
        DeliveryRequest.field("region", "europe-west1"),
    ])
    static let body = Data(#"{"status": "Hello there"}"#.utf8)

    private func decode(
        _ body: Data,
        fields: HTTPFields,
        decoder: DeliveryDecoder = DeliveryDecoder()
    ) throws -> PubSubMessage {
        try decoder.decode(head: DeliveryRequest.head(fields: fields), body: body)
    }

    @Test("x-goog-pubsub-* headers give the message's id, subscription, publish time and ordering key")
    func metadataHeadersAreRead() throws {
        let message = try self.decode(Self.body, fields: Self.metadataFields)
        #expect(message.id == "2070443601311540")
        #expect(message.subscription == "projects/user-project/subscriptions/mysub")
        #expect(message.publishTime == utc(1_614_366_835.749))
        #expect(message.orderingKey == "some-key")
        #expect(message.deliveryAttempt == nil)
    }

    @Test("The body is the payload, byte for byte, and is not read as an envelope")
    func bodyIsThePayload() throws {
        let message = try self.decode(Self.body, fields: Self.metadataFields)
        #expect(message.data == Self.body)
        #expect(message.text == #"{"status": "Hello there"}"#)
    }

    @Test("Attribute headers become attributes; transport and metadata headers do not")
    func attributeHeadersBecomeAttributes() throws {
        var fields = Self.metadataFields
        fields[.userAgent] = "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)"
        fields[.authorization] = "Bearer token"
        fields.append(DeliveryRequest.field("x-cloud-trace-context", "105445aa7843bc8bf206b12000100000/1;o=1"))
        fields.append(DeliveryRequest.field("x-forwarded-for", "10.0.0.1"))
        let message = try self.decode(Self.body, fields: fields)
        // Header names are case-insensitive, so attribute keys arrive lowercased.
        #expect(message.attributes == ["region": "europe-west1"])
    }

    @Test("Without metadata headers, an accepting decoder keeps non-JSON bytes exactly and assigns an id")
    func payloadWithoutMetadataIsKept() throws {
        let decoder = DeliveryDecoder(acceptsUnwrappedPayloads: true)
        let bytes = Data([0xFF, 0x00, 0xFE, 0x7B, 0x0A, 0xC3])
        let message = try self.decode(bytes, fields: [.contentType: "application/octet-stream"], decoder: decoder)
        #expect(message.data == bytes)
        #expect(!message.id.isEmpty)
        #expect(message.text == nil)
        #expect(message.attributes.isEmpty)
        #expect(message.publishTime == nil)
        #expect(message.subscription == nil)
    }

    @Test("Without metadata, each delivery gets an id of its own")
    func idsWithoutMetadataAreDistinct() throws {
        let decoder = DeliveryDecoder(acceptsUnwrappedPayloads: true)
        let first = try self.decode(Data("a".utf8), fields: [:], decoder: decoder)
        let second = try self.decode(Data("a".utf8), fields: [:], decoder: decoder)
        #expect(first.id != second.id)
    }

    @Test("Without metadata, an accepting decoder keeps even an envelope-shaped body as the payload")
    func envelopeShapedPayloadIsKept() throws {
        let decoder = DeliveryDecoder(acceptsUnwrappedPayloads: true)
        let body = Data(#"{"message":{"messageId":"not-an-envelope"}}"#.utf8)
        let message = try self.decode(body, fields: [.contentType: "application/json"], decoder: decoder)
        #expect(message.data == body)
        #expect(message.id != "not-an-envelope")
    }

    @Test("An empty unwrapped body is an empty payload")
    func emptyPayload() throws {
        let message = try self.decode(Data(), fields: Self.metadataFields)
        #expect(message.data.isEmpty)
        #expect(message.id == "2070443601311540")
    }

    @Test("A function registered with acceptsUnwrappedPayloads receives raw bytes through the host")
    func functionOptionReachesTheDecoder() async throws {
        let received = Received()
        var registry = FunctionRegistry()
        try registry.onMessage("raw", options: FunctionOptions(acceptsUnwrappedPayloads: true)) { message, _ in
            await received.record(message)
        }
        let client = try FunctionTestClient(registry: registry)
        let bytes = Data([0x00, 0xFF, 0x10])

        let response = await client.send(method: .post, path: "/raw", body: bytes)

        #expect(response.status == .noContent)
        #expect(await received.messages.map(\.data) == [bytes])
    }
}
