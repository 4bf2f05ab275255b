#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One Pub/Sub message as delivered to a function, whatever form the delivery took.
///
/// Every accepted delivery form — the wrapped push body, the unwrapped (`noWrapper`) body, a CloudEvent in binary
/// or structured mode, and a legacy background event — is normalised to this one value, so a function never needs
/// to know how it was reached.
public struct PubSubMessage: Sendable, Hashable {
    /// The server-assigned id: unique per topic, stable across redeliveries.
    ///
    /// An unwrapped push without `writeMetadata` carries no id; the host then assigns a random one, which a
    /// redelivery will not share.
    public var id: String
    /// The payload bytes, exactly as published (empty when only attributes were published).
    public var data: Data
    public var attributes: [String: String]
    public var publishTime: Timestamp?
    public var orderingKey: String?
    /// 1 on the first delivery; present only when the subscription has a dead-letter policy.
    public var deliveryAttempt: Int?
    /// The full subscription name, `projects/<p>/subscriptions/<s>`, when the delivery names it.
    public var subscription: String?
    /// The full topic name, `projects/<p>/topics/<t>`, when the delivery names it.
    public var topic: String?

    public init(
        id: String,
        data: Data = Data(),
        attributes: [String: String] = [:],
        publishTime: Timestamp? = nil,
        orderingKey: String? = nil,
        deliveryAttempt: Int? = nil,
        subscription: String? = nil,
        topic: String? = nil
    ) {
        self.id = id
        self.data = data
        self.attributes = attributes
        self.publishTime = publishTime
        self.orderingKey = orderingKey
        self.deliveryAttempt = deliveryAttempt
        self.subscription = subscription
        self.topic = topic
    }

    /// The payload as UTF-8 text, or `nil` when it is not valid UTF-8.
    public var text: String? {
        String(validating: self.data, as: UTF8.self)
    }

    /// Decodes the payload as JSON.
    ///
    /// - Throws: ``FunctionError`` with status 400 when the payload is not the expected JSON, so the delivery is
    ///   refused as malformed rather than failed as a handler error.
    public func decode<Payload: Decodable>(
        _ type: Payload.Type = Payload.self,
        using decoder: JSONDecoder = JSONDecoder()
    ) throws(FunctionError) -> Payload {
        do {
            return try decoder.decode(Payload.self, from: self.data)
        } catch {
            throw FunctionError(.badRequest, "message payload is not a valid \(Payload.self): \(error)")
        }
    }
}
