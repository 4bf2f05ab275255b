import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import Testing

@Suite("Malformed deliveries")
struct MalformedDeliveryTests {
    static let envelopes: [BadDelivery] = [
        .json(
            "a JSON array body",
            "[1,2]",
            .wrongType(field: "body", expected: "a JSON object", found: "an array"),
            naming: "body"
        ),
        .json(
            "message as a string",
            #"{"message":"hello"}"#,
            .wrongType(field: "message", expected: "an object", found: "a string"),
            naming: "'message'"
        ),
        .json("message as null", #"{"message":null}"#, .missingField("message"), naming: "'message'"),
        .json(
            "no message at all",
            #"{"subscription":"projects/p/subscriptions/s"}"#,
            .notADelivery,
            naming: "'message'"
        ),
        .json(
            "an attribute value as a number",
            #"{"message":{"messageId":"1","attributes":{"count":3}}}"#,
            .wrongType(field: "message.attributes.count", expected: "a string", found: "a number"),
            naming: "message.attributes.count"
        ),
        .json(
            "attributes as an array",
            #"{"message":{"messageId":"1","attributes":["a"]}}"#,
            .wrongType(field: "message.attributes", expected: "an object", found: "an array"),
            naming: "message.attributes"
        ),
        .json(
            "data as a number",
            #"{"message":{"messageId":"1","data":42}}"#,
            .wrongType(field: "message.data", expected: "a string", found: "a number"),
            naming: "message.data"
        ),
        .json(
            "a negative deliveryAttempt",
            #"{"message":{"messageId":"1"},"deliveryAttempt":-1}"#,
            .wrongType(field: "deliveryAttempt", expected: "a non-negative integer", found: "a number"),
            naming: "deliveryAttempt"
        ),
        .json(
            "a fractional deliveryAttempt",
            #"{"message":{"messageId":"1"},"deliveryAttempt":1.5}"#,
            .wrongType(field: "deliveryAttempt", expected: "a non-negative integer", found: "a number"),
            naming: "deliveryAttempt"
        ),
        .json(
            "a message without messageId",
            #"{"message":{"data":"aGk="}}"#,
            .missingField("message.messageId"),
            naming: "message.messageId"
        ),
        .json(
            "an empty messageId",
            #"{"message":{"messageId":"","data":"aGk="}}"#,
            .missingField("message.messageId"),
            naming: "message.messageId"
        ),
        .json(
            "data that is not base64",
            #"{"message":{"messageId":"1","data":"not base64!"}}"#,
            .invalidBase64(field: "message.data"),
            naming: "message.data"
        ),
    ]

    static let timestamps: [BadDelivery] = [
        "yesterday", "2021-02-26T19:13:55", "2021-02-30T00:00:00Z",
        "2021-02-26T19:13:55.1234567891Z", "2021-02-26T19:13:55+2:00",
    ].map {
        .json(
            "publishTime \($0)",
            #"{"message":{"messageId":"1","publishTime":"\#($0)"}}"#,
            .invalidTimestamp(field: "message.publishTime", value: $0),
            naming: "message.publishTime"
        )
    }

    static let events: [BadDelivery] = [
        .structured(
            "a CloudEvent of another type",
            type: "google.cloud.storage.object.v1.finalized",
            .unsupportedEventType("google.cloud.storage.object.v1.finalized"),
            naming: "google.cloud.storage.object.v1.finalized"
        ),
        .structured("a structured CloudEvent without data", data: nil, .missingField("data"), naming: "'data'"),
        .structured("a structured CloudEvent without id", id: nil, .missingField("id"), naming: "'id'"),
        .structured(
            "a CloudEvent of spec version 0.3",
            specversion: "0.3",
            .wrongType(field: "specversion", expected: #""1.0""#, found: #""0.3""#),
            naming: "specversion"
        ),
        .structured(
            "a CloudEvent whose data has no message",
            data: #"{"subscription":"s"}"#,
            .missingField("data.message"),
            naming: "data.message"
        ),
        .json(
            "a legacy event of an unknown eventType",
            #"{"eventId":"1","eventType":"providers/cloud.storage/eventTypes/object.change","data":{}}"#,
            .unsupportedEventType("providers/cloud.storage/eventTypes/object.change"),
            naming: "providers/cloud.storage/eventTypes/object.change"
        ),
        .json(
            "a legacy event without eventId",
            #"{"context":{"eventType":"google.pubsub.topic.publish"},"data":{"data":"aGk="}}"#,
            .missingField("context.eventId"),
            naming: "context.eventId"
        ),
        .json(
            "a legacy event without data",
            #"{"eventId":"1","eventType":"google.pubsub.topic.publish"}"#,
            .missingField("data"),
            naming: "'data'"
        ),
    ]

    static let headers: [BadDelivery] = [
        .binary("a binary CloudEvent without ce-id", changing: "ce-id", .missingField("ce-id"), naming: "ce-id"),
        .binary(
            "a binary CloudEvent without ce-source",
            changing: "ce-source",
            .missingField("ce-source"),
            naming: "ce-source"
        ),
        .binary(
            "a binary CloudEvent of another ce-type",
            changing: "ce-type",
            to: DeliveryRequest.field("ce-type", "com.example.other"),
            .unsupportedEventType("com.example.other"),
            naming: "com.example.other"
        ),
        .binary(
            "a binary CloudEvent whose body has no message",
            body: "{}",
            .missingField("message"),
            naming: "'message'"
        ),
        .binary(
            "a ce-source header with bytes that are not UTF-8",
            changing: "ce-source",
            to: HTTPField(name: HTTPField.Name("ce-source")!, value: Array("//pubsub/".utf8) + [0xFF, 0xFE]),
            .invalidHeader("ce-source"),
            naming: "ce-source"
        ),
        .binary(
            "a ce-source header as NIO delivers invalid bytes, with U+FFFD",
            changing: "ce-source",
            to: DeliveryRequest.field("ce-source", "//pubsub/\u{FFFD}"),
            .invalidHeader("ce-source"),
            naming: "ce-source"
        ),
        .unwrapped(
            "an unwrapped push with a bad publish-time header",
            with: DeliveryRequest.field("x-goog-pubsub-publish-time", "noon"),
            .invalidTimestamp(field: "x-goog-pubsub-publish-time", value: "noon"),
            naming: "x-goog-pubsub-publish-time"
        ),
        .unwrapped(
            "an unwrapped push with an attribute header that is not UTF-8",
            with: HTTPField(name: HTTPField.Name("region")!, value: [0x65, 0xFF]),
            .invalidHeader("region"),
            naming: "region"
        ),
    ]

    @Test(
        "A malformed delivery is refused with an error that names what is wrong",
        arguments: envelopes + timestamps + events + headers
    )
    func malformedDeliveryIsRefused(_ bad: BadDelivery) throws {
        let error = #expect(throws: DeliveryError.self) {
            try DeliveryRequest.decode(bad.body, fields: bad.fields)
        }
        #expect(error == bad.expected)
        #expect(error?.description.contains(bad.names) == true, "\(String(describing: error))")
    }

    @Test("A body that is not JSON is refused as invalid JSON, with the shape a push body should have")
    func invalidJSON() throws {
        let error = #expect(throws: DeliveryError.self) { try DeliveryRequest.decode(#"{"message":"#) }
        guard case .invalidJSON(let detail)? = error else {
            Issue.record("expected invalidJSON, got \(String(describing: error))")
            return
        }
        #expect(!detail.isEmpty)
        #expect(error?.description.contains("the body is not valid JSON") == true)
        #expect(error?.description.contains(#"{"message":{...}"#) == true)
    }

    @Test("The refusal of a body that is not JSON is the same every time for the same bytes")
    func invalidJSONIsDeterministic() throws {
        let body = Data(#"{"message":{"messageId":"\#u{1}"},"subscription":"\#u{2}"}"#.utf8)
        let errors = (0..<8).map { _ -> String in
            do {
                _ = try DeliveryDecoder().decode(
                    head: DeliveryRequest.head(fields: [.contentType: "application/json"]),
                    body: body
                )
                return "accepted"
            } catch {
                return String(describing: error)
            }
        }
        #expect(Set(errors).count == 1)
        #expect(errors.first?.contains("not valid JSON") == true)
        var invalidUTF8 = Data(#"{"message":{"messageId":""#.utf8)
        invalidUTF8.append(0xFF)
        invalidUTF8.append(contentsOf: Data(#""}}"#.utf8))
        #expect(throws: DeliveryError.invalidJSON("the body is not valid UTF-8")) {
            try DeliveryDecoder().decode(
                head: DeliveryRequest.head(fields: [.contentType: "application/json"]),
                body: invalidUTF8
            )
        }
    }

    @Test(
        "Text that is not JSON is refused wherever it hides: in a member nobody reads, or in a second spelling",
        arguments: [
            #"{"message":{"messageId":"m","@type":"line\#nbreak"}}"#,
            #"{"message":{"messageId":"m","message_id":"bad \q escape"}}"#,
            #"{"message":{"messageId":"m"},"extra":{"deep":["\#u{1}"]}}"#,
            #"{"message":{"messageId":"m"},"deliveryAttempt":1,"delivery_attempt":01}"#,
        ]
    )
    func invalidJSONAnywhereIsRefused(body: String) throws {
        let error = #expect(throws: DeliveryError.self) { try DeliveryRequest.decode(body) }
        guard case .invalidJSON? = error else {
            Issue.record("expected invalidJSON, got \(String(describing: error))")
            return
        }
    }

    @Test("An empty body is refused, saying the body is empty")
    func emptyBody() throws {
        let error = #expect(throws: DeliveryError.self) { try DeliveryRequest.decode("") }
        #expect(error == .invalidJSON("the body is empty"))
        #expect(error?.description.contains("the body is empty") == true)
    }

    @Test("A binary CloudEvent whose body is not JSON is refused as invalid JSON")
    func binaryCloudEventWithBadBody() throws {
        let error = #expect(throws: DeliveryError.self) {
            try DeliveryRequest.decode("not json", fields: BadDelivery.cloudEventFields)
        }
        guard case .invalidJSON? = error else {
            Issue.record("expected invalidJSON, got \(String(describing: error))")
            return
        }
    }

    @Test("Each case of DeliveryError describes itself in a sentence naming its subject")
    func descriptionsNameTheirSubject() {
        let errors: [(DeliveryError, String)] = [
            (.notADelivery, BadDelivery.messagePublished),
            (.missingField("message.messageId"), "required field 'message.messageId' is missing"),
            (.wrongType(field: "deliveryAttempt", expected: "an integer", found: "a string"), "found a string"),
            (.invalidBase64(field: "message.data"), "'message.data' is not valid standard base64"),
            (.invalidTimestamp(field: "message.publishTime", value: "noon"), "'noon'"),
            (.unsupportedEventType("x.y"), BadDelivery.messagePublished),
            (.invalidHeader("ce-source"), "header 'ce-source' is not valid UTF-8"),
        ]
        for (error, subject) in errors {
            #expect(error.description.contains(subject), "\(error)")
        }
    }
}
