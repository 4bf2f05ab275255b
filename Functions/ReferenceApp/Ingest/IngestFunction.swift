import ContrailKit
import Foundation
import Logging
import RecordStore

/// Stores each delivered message, answering only once its row is durable; a redelivery stores nothing new.
///
/// Concurrent deliveries share one commit through the ``GroupCommitter``, so the store pays one durable commit
/// per batch rather than one per message.
struct IngestFunction: MessageFunction {
    let committer: GroupCommitter
    let metrics = IngestMetrics()
    var clock = WallClock.system

    func onMessage(_ message: PubSubMessage, context: FunctionContext) async throws {
        try Self.requireNoNUL(message)
        let record = Record(message: message, receivedAt: self.clock.now())
        let stored = try await self.committer.insert([record])
        self.metrics.record(
            isNew: stored.first != false,
            deliveryAttempt: message.deliveryAttempt,
            lagMicros: message.publishTime.map { _ in
                self.clock.now().microsecondsSinceEpoch - record.publishTime.microsecondsSinceEpoch
            }
        )
        if stored.first == false {
            context.logger.debug(
                "duplicate delivery: already stored",
                metadata: ["subscription": "\(record.subscription)"]
            )
        }
    }
}

extension IngestFunction {
    /// Neither store can keep U+0000 in text: PostgreSQL refuses it and SQLite's C API ends the string there, so
    /// ids `n1\0a` and `n1\0b` would be one record and colliding attribute keys a commit that fails for ever.
    /// Such a message is refused as malformed, so that Pub/Sub dead-letters it rather than it being cut short.
    static func requireNoNUL(_ message: PubSubMessage) throws(FunctionError) {
        func check(_ text: String?, _ field: String) throws(FunctionError) {
            guard let text, text.utf8.contains(0) else { return }
            throw FunctionError(.badRequest, "the message's \(field) contains a NUL character, which no store can keep")
        }
        try check(message.id, "messageId")
        try check(message.orderingKey, "orderingKey")
        try check(message.subscription, "subscription")
        try check(message.topic, "topic")
        for (key, value) in message.attributes {
            try check(key, "attribute key")
            try check(value, "attribute value")
        }
    }
}

extension Record {
    /// The row for a message. A message without a publish time (an unwrapped push without metadata) is ordered
    /// by when it arrived.
    init(message: PubSubMessage, receivedAt: Timestamp) {
        let bytes = Array(message.data)
        self.init(
            messageId: message.id,
            subscription: message.subscription ?? "",
            topic: message.topic,
            publishTime: message.publishTime ?? receivedAt,
            receivedAt: receivedAt,
            attributes: message.attributes,
            orderingKey: message.orderingKey,
            deliveryAttempt: message.deliveryAttempt,
            data: bytes,
            dataJSON: JSONText.validated(bytes)
        )
    }
}
