import ContrailKit
import HTTPTypes

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent, as Eventarc delivers it (binary mode) or as a
/// client sends it in structured mode. Its data is `MessagePublishedData`, i.e. the wrapped push body.
enum CloudEventDelivery {
    static let messagePublishedType = "google.cloud.pubsub.topic.v1.messagePublished"
    static let specVersionHeader = HTTPField.Name("ce-specversion")!
    static let typeHeader = HTTPField.Name("ce-type")!
    static let sourceHeader = HTTPField.Name("ce-source")!
    static let idHeader = HTTPField.Name("ce-id")!
    static let timeHeader = HTTPField.Name("ce-time")!

    /// The event's context attributes, wherever they were read from.
    struct Attributes {
        var specVersion: String
        var type: String
        var source: String
        var id: String
        var time: String?
    }

    static func binary(fields: HTTPFields, body: Data) throws(DeliveryError) -> PubSubMessage {
        func header(_ name: HTTPField.Name) throws(DeliveryError) -> String? {
            guard let value = fields[name] else { return nil }
            try HeaderCheck.requireUTF8(value, name: name.canonicalName)
            return value
        }
        func required(_ name: HTTPField.Name) throws(DeliveryError) -> String {
            guard let value = try header(name), !value.isEmpty else { throw .missingField(name.canonicalName) }
            return value
        }
        let attributes = Attributes(
            specVersion: try required(specVersionHeader),
            type: try required(typeHeader),
            source: try required(sourceHeader),
            id: try required(idHeader),
            time: try header(timeHeader)
        )
        return try self.message(attributes, data: try DeliveryDecoder.parseObject(body), timeField: "ce-time")
    }

    static func structured(_ event: JSONMembers) throws(DeliveryError) -> PubSubMessage {
        let attributes = Attributes(
            specVersion: try event.requiredString("specversion"),
            type: try event.requiredString("type"),
            source: try event.requiredString("source"),
            id: try event.requiredString("id"),
            time: try event.string("time")
        )
        guard let data = try event.object("data") else { throw .missingField("data") }
        return try self.message(attributes, data: data, timeField: "time")
    }

    private static func message(
        _ attributes: Attributes,
        data: JSONMembers,
        timeField: String
    ) throws(DeliveryError) -> PubSubMessage {
        guard attributes.specVersion == "1.0" else {
            throw .wrongType(field: "specversion", expected: "\"1.0\"", found: "\"\(attributes.specVersion)\"")
        }
        guard attributes.type == messagePublishedType else { throw .unsupportedEventType(attributes.type) }
        guard let body = try data.object("message") else { throw .missingField(data.fieldName("message")) }
        var message = try PushEnvelope.message(body, fallbackID: attributes.id)
        if message.publishTime == nil {
            message.publishTime = try FieldDecoding.timestamp(attributes.time, field: timeField)
        }
        message.subscription = try data.string("subscription")
        message.topic = self.topic(fromSource: attributes.source)
        return message
    }

    /// `//pubsub.googleapis.com/projects/p/topics/t` → `projects/p/topics/t`.
    static func topic(fromSource source: String) -> String? {
        let marker = "projects/"
        var rest = Substring(source)
        while !rest.isEmpty {
            if rest.hasPrefix(marker) { return String(rest) }
            rest = rest.dropFirst()
        }
        return nil
    }
}
