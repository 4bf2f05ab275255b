import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import Testing

@Suite("Conformance fixtures from Google's functions frameworks")
struct ConformanceFixtureTests {
    private let decoder = DeliveryDecoder()

    @Test("The fixture directory holds the thirteen conformance files, each with a known case and role")
    func directoryHoldsExactlyTheKnownFiles() throws {
        let jsonFiles = try ConformanceFixture.jsonFileNames()
        #expect(jsonFiles.count == 13)
        #expect(try ConformanceFixture.fileNames() == (jsonFiles + ["NOTICE.md"]).sorted())

        var loaded = 0
        for name in ConformanceFixture.cases {
            loaded += try ConformanceFixture(name).files.count
        }
        // Every file belongs to a case this suite reads in full, so none goes unchecked.
        #expect(loaded == jsonFiles.count)
    }

    @Test("A CloudEvent yields the same message in binary and in structured mode", arguments: ConformanceFixture.cases)
    func binaryAndStructuredModesAgree(name: String) throws {
        let fixture = try ConformanceFixture(name)
        let binary = try self.decodeBinary(fixture.object(.cloudEventInput))
        let structured = try self.decodeStructured(fixture.data(.cloudEventInput))
        #expect(binary == structured)
    }

    @Test(
        "The legacy event yields the CloudEvent's message, less the subscription it does not name",
        arguments: ConformanceFixture.cases
    )
    func legacyEventAgreesWithCloudEvent(name: String) throws {
        let fixture = try ConformanceFixture(name)
        let legacy = try self.decodeJSON(fixture.data(.legacyInput))
        var cloudEvent = try self.decodeBinary(fixture.object(.cloudEventInput))

        let input = try fixture.object(.cloudEventInput)
        let inputData = try #require(input["data"] as? [String: Any])
        #expect(cloudEvent.subscription == inputData["subscription"] as? String)
        #expect(legacy.subscription == nil)

        cloudEvent.subscription = nil
        #expect(legacy == cloudEvent)
    }

    @Test("The decoded message is what the CloudEvent output fixture describes", arguments: ConformanceFixture.cases)
    func messageMatchesCloudEventOutput(name: String) throws {
        let fixture = try ConformanceFixture(name)
        let message = try self.decodeStructured(fixture.data(.cloudEventInput))

        let output = try fixture.object(.cloudEventOutput)
        let data = try #require(output["data"] as? [String: Any])
        let published = try #require(data["message"] as? [String: Any])
        let source = try #require(output["source"] as? String)
        let time = try #require(output["time"] as? String)
        let payload = try #require(published["data"] as? String)
        let publishTime = try #require(ConformanceFixture.date(time))

        #expect(message.id == published["messageId"] as? String)
        #expect(message.publishTime == Timestamp(publishTime))
        #expect(message.attributes == (published["attributes"] as? [String: String] ?? [:]))
        #expect(message.data == Data(base64Encoded: payload))
        #expect(source.hasPrefix("//pubsub.googleapis.com/"))
        #expect(message.topic == String(source.dropFirst("//pubsub.googleapis.com/".count)))
    }

    @Test("The decoded message is what every legacy output fixture describes", arguments: ConformanceFixture.cases)
    func messageMatchesLegacyOutputs(name: String) throws {
        let fixture = try ConformanceFixture(name)
        let message = try self.decodeJSON(fixture.data(.legacyInput))
        let outputs = fixture.files.filter { $0.key == .legacyOutput || $0.key == .legacyOutputConverted }
        #expect(outputs.count == (name == "legacy_pubsub" ? 2 : 1))

        for (role, bytes) in outputs {
            let output = try ConformanceFixture.object(bytes)
            let context = try #require(output["context"] as? [String: Any], "\(role) has no context")
            let timestamp = try #require(context["timestamp"] as? String)
            let resource = context["resource"]
            let topic = (resource as? String) ?? ((resource as? [String: Any])?["name"] as? String)
            let data = try #require(output["data"] as? [String: Any])
            let publishTime = try #require(ConformanceFixture.date(timestamp))
            let payload = try #require(data["data"] as? String)

            #expect(message.id == context["eventId"] as? String, "\(role)")
            #expect(message.publishTime == Timestamp(publishTime), "\(role)")
            #expect(message.topic == topic, "\(role)")
            #expect(message.attributes == (data["attributes"] as? [String: String] ?? [:]), "\(role)")
            #expect(message.data == Data(base64Encoded: payload), "\(role)")
            // The outputs are legacy events themselves, and must decode to the same message.
            #expect(try self.decodeJSON(bytes) == message, "\(role)")
        }
    }

    @Test(
        "Every fixture message has a payload, so no case passes by comparing empty values",
        arguments: ConformanceFixture.cases
    )
    func fixturesAreNotEmpty(name: String) throws {
        let message = try self.decodeJSON(ConformanceFixture(name).data(.legacyInput))
        #expect(!message.data.isEmpty)
        #expect(message.id == "aaaaaa-1111-bbbb-2222-cccccccccccc")
        #expect(message.topic == "projects/sample-project/topics/gcf-test")
    }

    private func decodeJSON(_ body: Data) throws -> PubSubMessage {
        try self.decoder.decode(head: DeliveryRequest.head(fields: [.contentType: "application/json"]), body: body)
    }

    /// Binary mode: the context attributes become `ce-*` headers and the body is the event's `data` alone.
    private func decodeBinary(_ event: [String: Any]) throws -> PubSubMessage {
        var fields: HTTPFields = [:]
        for attribute in ["specversion", "type", "source", "id", "time"] {
            let value = try #require(event[attribute] as? String, "the event has no \(attribute)")
            fields.append(DeliveryRequest.field("ce-\(attribute)", value))
        }
        fields[.contentType] = event["datacontenttype"] as? String ?? "application/json"
        let data = try #require(event["data"])
        let body = try JSONSerialization.data(withJSONObject: data)
        return try self.decoder.decode(head: DeliveryRequest.head(fields: fields), body: body)
    }

    /// Structured mode: the whole event is the body.
    private func decodeStructured(_ event: Data) throws -> PubSubMessage {
        let fields: HTTPFields = [.contentType: "application/cloudevents+json; charset=utf-8"]
        return try self.decoder.decode(head: DeliveryRequest.head(fields: fields), body: event)
    }
}
