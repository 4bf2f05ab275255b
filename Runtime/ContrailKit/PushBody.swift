#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

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

    /// - Parameters:
    ///   - publishTime: RFC 3339 text, as the service wrote the message's publish time.
    ///   - orderingKey: `nil` or empty when the message has none.
    ///   - deliveryAttempt: only for subscriptions with a dead-letter policy, as Pub/Sub reports it.
    public init(
        messageId: String,
        data: Data,
        attributes: [String: String],
        publishTime: String?,
        orderingKey: String?,
        subscription: String,
        deliveryAttempt: Int?
    ) {
        self.message = Message(
            data: data.isEmpty ? nil : data.base64EncodedString(),
            attributes: attributes.isEmpty ? nil : attributes,
            messageId: messageId,
            message_id: messageId,
            publishTime: publishTime,
            publish_time: publishTime,
            orderingKey: orderingKey?.isEmpty == false ? orderingKey : nil
        )
        self.subscription = subscription
        self.deliveryAttempt = deliveryAttempt
    }

    public init(message: PubSubMessage, subscription: String) {
        self.init(
            messageId: message.id,
            data: message.data,
            attributes: message.attributes,
            publishTime: message.publishTime?.rfc3339,
            orderingKey: message.orderingKey,
            subscription: subscription,
            deliveryAttempt: message.deliveryAttempt
        )
    }

    /// Keys sorted and slashes left alone, as the service writes them.
    public func encoded() -> Data {
        // Strings, optionals and a dictionary of strings always encode.
        (try? FunctionResponse.defaultJSONEncoder.encode(self)) ?? Data()
    }
}
