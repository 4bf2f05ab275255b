#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import ContrailKit

/// Pub/Sub's wrapped push body for a message, as the service writes it: `messageId` and `publishTime` in both
/// spellings, `data` and `attributes` omitted when empty.
public struct PushBody: Encodable, Sendable {
    struct Message: Encodable {
        var data: String?
        var attributes: [String: String]?
        var messageId: String
        var message_id: String
        var publishTime: String?
        var publish_time: String?
        var orderingKey: String?
    }

    var message: Message
    var subscription: String
    var deliveryAttempt: Int?

    public init(message: PubSubMessage, subscription: String) {
        let publishTime = message.publishTime.map {
            RFC3339.format($0)
        }
        self.message = Message(
            data: message.data.isEmpty ? nil : message.data.base64EncodedString(),
            attributes: message.attributes.isEmpty ? nil : message.attributes,
            messageId: message.id,
            message_id: message.id,
            publishTime: publishTime,
            publish_time: publishTime,
            orderingKey: message.orderingKey
        )
        self.subscription = subscription
        self.deliveryAttempt = message.deliveryAttempt
    }

    public func encoded() -> Data {
        // Strings, optionals and a dictionary of strings always encode.
        (try? JSONEncoder().encode(self)) ?? Data()
    }
}
