#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ContrailKit

/// The wrapped push body decoded straight into its fields, in one pass.
///
/// Reading a body as a generic ``JSONValue`` first, to tell which form it is, made a quarter of an ingest's
/// instructions: every member costs a dictionary entry and every object a thrown error for the string guess made
/// before it. Nearly every delivery is a wrapped push, so it is tried this way first. Anything this stricter reading
/// refuses (another form, a member it does not know, a `deliveryAttempt` sent as a string, a null attribute, a
/// wrong type) is read again the general way, which names the field at fault. The fuzzer holds the two to the same
/// answer on every body this one takes.
struct WrappedPushBody: Decodable {
    struct Message: Decodable {
        var fields: PushEnvelope.MessageFields

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: MemberName.self)
            try container.requireOnly(Self.members)
            // Every member is decoded, the second spelling too, so that each one's text is checked (see below).
            var strings: [String: String] = [:]
            for name in Self.members where name != "attributes" {
                strings[name] = try container.decodeIfPresent(String.self, forKey: MemberName(name))
            }
            self.fields = PushEnvelope.MessageFields(
                id: strings["messageId"] ?? strings["message_id"],
                publishTime: strings["publishTime"] ?? strings["publish_time"],
                orderingKey: strings["orderingKey"] ?? strings["ordering_key"],
                data: strings["data"],
                attributes: try container.decodeIfPresent([String: String].self, forKey: MemberName("attributes")) ?? [:]
            )
        }

        static let members: Set<String> = [
            "data", "attributes", "messageId", "message_id", "publishTime", "publish_time", "orderingKey", "ordering_key",
        ]
    }

    let message: Message
    let subscription: String?
    let deliveryAttempt: Int?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MemberName.self)
        try container.requireOnly(["message", "subscription", "deliveryAttempt", "delivery_attempt"])
        self.message = try container.decode(Message.self, forKey: MemberName("message"))
        self.subscription = try container.decodeIfPresent(String.self, forKey: MemberName("subscription"))
        let camelCase = try Self.count(container, "deliveryAttempt")
        let snakeCase = try Self.count(container, "delivery_attempt")
        self.deliveryAttempt = camelCase ?? snakeCase
    }

    /// Read as a `Double`, as the general reading reads numbers, so that both take the same spellings; a count sent
    /// as a string goes the general way.
    private static func count(_ container: KeyedDecodingContainer<MemberName>, _ name: String) throws -> Int? {
        guard let value = try container.decodeIfPresent(Double.self, forKey: MemberName(name)) else { return nil }
        guard let count = JSONObject.count(value) else { throw Refused() }
        return count
    }

    /// The message, or `nil` when the body is not a wrapped push this reading accepts.
    static func decode(_ body: Data) throws(DeliveryError) -> PubSubMessage? {
        guard let envelope = try? JSONDecoder().decode(Self.self, from: body) else { return nil }
        var message = try PushEnvelope.message(envelope.message.fields, at: "message")
        message.subscription = envelope.subscription
        message.deliveryAttempt = envelope.deliveryAttempt
        return message
    }

    struct Refused: Error {}

    struct MemberName: CodingKey {
        let stringValue: String
        init(_ name: String) { self.stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}

extension KeyedDecodingContainer where Key == WrappedPushBody.MemberName {
    /// Foundation's decoder checks a value's text only when something decodes it, so a member nobody reads could
    /// hide a control character or a bad escape; the general reading decodes every member and refuses such a body.
    func requireOnly(_ members: Set<String>) throws {
        guard self.allKeys.allSatisfy({ members.contains($0.stringValue) }) else { throw WrappedPushBody.Refused() }
    }
}
