import Foundation
import PubSubProtocol

/// Checks a `PublishRequest` against Pub/Sub's limits: 1 to 1000 messages, each with data or attributes, within
/// the attribute and ordering key sizes.
enum PublishValidation {
    static let maxMessages = 1000
    static let maxAttributes = 100
    static let maxAttributeKeyBytes = 256
    static let maxAttributeValueBytes = 1024
    static let maxOrderingKeyBytes = 1024

    static func messages(of request: Google_Pubsub_V1_PublishRequest) throws(PubSubError) -> [OutgoingMessage] {
        guard !request.messages.isEmpty else {
            throw .invalid("The request contains no messages (field: messages).")
        }
        guard request.messages.count <= Self.maxMessages else {
            throw .invalid(
                "The value for messages is too large: \(request.messages.count) messages; the limit is "
                    + "\(Self.maxMessages)."
            )
        }
        var messages: [OutgoingMessage] = []
        for (index, message) in request.messages.enumerated() {
            messages.append(try Self.check(message, path: "messages[\(index)]"))
        }
        return messages
    }

    private static func check(
        _ message: Google_Pubsub_V1_PubsubMessage,
        path: String
    ) throws(PubSubError)
        -> OutgoingMessage
    {
        guard !message.data.isEmpty || !message.attributes.isEmpty else {
            throw .invalid(
                "Some messages contain neither data nor attributes (field: \(path)). Each message needs data or at "
                    + "least one attribute."
            )
        }
        guard message.attributes.count <= Self.maxAttributes else {
            throw .invalid(
                "Too many attributes in \(path).attributes: \(message.attributes.count); the limit is "
                    + "\(Self.maxAttributes)."
            )
        }
        for (key, value) in message.attributes.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty, key.utf8.count <= Self.maxAttributeKeyBytes else {
                throw .invalid(
                    "Invalid attribute key in \(path).attributes: keys must be 1 to \(Self.maxAttributeKeyBytes) bytes."
                )
            }
            guard value.utf8.count <= Self.maxAttributeValueBytes else {
                throw .invalid(
                    "The value of \(path).attributes[\(key)] is too long: the limit is \(Self.maxAttributeValueBytes) "
                        + "bytes."
                )
            }
        }
        guard message.orderingKey.utf8.count <= Self.maxOrderingKeyBytes else {
            throw .invalid(
                "The value for \(path).orderingKey is too long: the limit is \(Self.maxOrderingKeyBytes) bytes."
            )
        }
        return OutgoingMessage(data: message.data, attributes: message.attributes, orderingKey: message.orderingKey)
    }
}
