public import ContrailKit

/// One stored Pub/Sub message: a row of the analytics store.
public struct Record: Sendable, Hashable {
    public var messageId: String
    /// The full subscription name; with `messageId`, the record's identity.
    public var subscription: String
    public var topic: String?
    public var publishTime: Timestamp
    /// When the ingest function received the delivery, in microseconds since the Unix epoch.
    public var receivedAt: Timestamp
    public var attributes: [String: String]
    public var orderingKey: String?
    public var deliveryAttempt: Int?
    /// The exact payload bytes.
    public var data: [UInt8]
    /// The payload as JSON text, when the payload is valid UTF-8 JSON; stored so the store can filter on it.
    public var dataJSON: String?

    public init(
        messageId: String,
        subscription: String,
        topic: String? = nil,
        publishTime: Timestamp,
        receivedAt: Timestamp,
        attributes: [String: String] = [:],
        orderingKey: String? = nil,
        deliveryAttempt: Int? = nil,
        data: [UInt8] = [],
        dataJSON: String? = nil
    ) {
        self.messageId = messageId
        self.subscription = subscription
        self.topic = topic
        self.publishTime = publishTime
        self.receivedAt = receivedAt
        self.attributes = attributes
        self.orderingKey = orderingKey
        self.deliveryAttempt = deliveryAttempt
        self.data = data
        self.dataJSON = dataJSON
    }

    /// The record's place in the newest-first order that every listing uses.
    public var position: RecordPosition {
        RecordPosition(publishTime: self.publishTime, messageId: self.messageId, subscription: self.subscription)
    }
}

/// A point in the order (publishTime, messageId, subscription), all descending: where a page ends.
public struct RecordPosition: Sendable, Hashable, Codable {
    public var publishTime: Timestamp
    public var messageId: String
    public var subscription: String

    public init(publishTime: Timestamp, messageId: String, subscription: String) {
        self.publishTime = publishTime
        self.messageId = messageId
        self.subscription = subscription
    }
}
