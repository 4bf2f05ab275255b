public import ContrailKit
public import HTTPTypes

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Reads one Pub/Sub message out of a request in any form Google delivers it.
///
/// The form is told by the request itself, in this order: `ce-*` headers (CloudEvent, binary mode); a
/// `application/cloudevents+json` body (structured mode); `x-goog-pubsub-*` headers (unwrapped push with
/// metadata); otherwise a JSON body whose members say what it is: `message` (wrapped push), `specversion`
/// (structured CloudEvent sent as plain JSON) or `context`/`eventType` (legacy background event).
public struct DeliveryDecoder: Sendable {
    /// Whether a body matching no envelope is the raw payload of an unwrapped push without metadata.
    public var acceptsUnwrappedPayloads: Bool
    /// The one form a declared trigger delivers in, or `nil` to tell the form from each request.
    public var declaredFormat: MessageTrigger.PayloadFormat?

    public init(acceptsUnwrappedPayloads: Bool = false) {
        self.acceptsUnwrappedPayloads = acceptsUnwrappedPayloads
        self.declaredFormat = nil
    }

    /// Reads deliveries only in the form `trigger` declares: a wrapped push is a push envelope or a 400; an
    /// unwrapped one is the message's bytes whatever they are, with its metadata from headers when written.
    public init(trigger: MessageTrigger) {
        self.acceptsUnwrappedPayloads = false
        self.declaredFormat = trigger.payloadFormat
    }

    /// - Parameters:
    ///   - head: the request head; its path may name the topic (`…/projects/<p>/topics/<t>`).
    ///   - body: the complete body.
    public func decode(head: HTTPRequest, body: Data) throws(DeliveryError) -> PubSubMessage {
        let fields = head.headerFields
        var message: PubSubMessage
        switch self.declaredFormat {
        case .wrapped:
            let object = try Self.parseObject(body)
            guard object.has("message") else { throw .notAPushEnvelope }
            message = try PushEnvelope.decode(object)
        case .unwrapped:
            message = try UnwrappedDelivery.decode(fields: fields, body: body)
        case nil:
            message = try self.decodeAnyForm(fields: fields, body: body)
        }
        if message.topic == nil {
            message.topic = Self.topic(inPath: head.path ?? "")
        }
        return message
    }

    private func decodeAnyForm(fields: HTTPFields, body: Data) throws(DeliveryError) -> PubSubMessage {
        let message: PubSubMessage
        if let specVersion = fields[CloudEventDelivery.specVersionHeader] {
            try HeaderCheck.requireUTF8(specVersion, name: CloudEventDelivery.specVersionHeader.canonicalName)
            message = try CloudEventDelivery.binary(fields: fields, body: body)
        } else if Self.isStructuredCloudEvent(fields) {
            message = try CloudEventDelivery.structured(try Self.parseObject(body))
        } else if UnwrappedDelivery.hasMetadata(fields) || self.acceptsUnwrappedPayloads {
            message = try UnwrappedDelivery.decode(fields: fields, body: body)
        } else {
            let object = try Self.parseObject(body)
            if object.has("message") {
                message = try PushEnvelope.decode(object)
            } else if object.has("specversion") {
                message = try CloudEventDelivery.structured(object)
            } else if LegacyEventDelivery.matches(object) {
                message = try LegacyEventDelivery.decode(object)
            } else {
                throw .notADelivery
            }
        }
        return message
    }

    private static func isStructuredCloudEvent(_ fields: HTTPFields) -> Bool {
        guard let contentType = fields[.contentType] else { return false }
        return contentType.lowercased().hasPrefix("application/cloudevents+json")
    }

    static func parseObject(_ body: Data) throws(DeliveryError) -> JSONMembers {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: body)
        } catch {
            throw .invalidJSON(body.isEmpty ? "the body is empty" : Self.summary(of: body))
        }
        guard case .object(let members) = value else {
            throw .wrongType(field: "body", expected: "a JSON object", found: value.typeName)
        }
        return JSONMembers(members, path: "")
    }

    /// Why `body` is not JSON, the same for the same bytes. The decoder checks strings only as it reaches them, in an
    /// order that varies between runs, so its own error would name a different field from one call to the next.
    private static func summary(of body: Data) -> String {
        guard String(validating: body, as: UTF8.self) != nil else { return "the body is not valid UTF-8" }
        return "a syntax error or an unescaped control character in a string, by RFC 8259"
    }

    /// Go's, Python's and Node's frameworks read the topic off a push endpoint such as
    /// `https://svc/projects/P/topics/T`, since the push body does not carry it.
    static func topic(inPath path: String) -> String? {
        // Split on the byte: a combining mark after `?` would join it into one Character.
        let withoutQuery =
            path.utf8.split(separator: UInt8(ascii: "?"), maxSplits: 1, omittingEmptySubsequences: false)
            .first.flatMap { Substring($0) } ?? ""
        // Read from the end: a project or topic may itself be named `projects` or `topics`.
        let segments = Array(withoutQuery.split(separator: "/").suffix(4))
        guard segments.count == 4, segments[0] == "projects", segments[2] == "topics" else { return nil }
        return "projects/\(segments[1])/topics/\(segments[3])"
    }
}
