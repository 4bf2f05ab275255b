public import ContrailKit
public import Foundation
public import PubSubProtocol

/// What the console reads and does, in process: the REST API has no call for most of it (Cloud Monitoring reports
/// backlogs; nothing in Pub/Sub peeks or redrives).
extension LocalPubSub {
    /// The attributes Pub/Sub adds to a dead-lettered message, which a redrive removes again.
    package static let deadLetterSourcePrefix = "CloudPubSubDeadLetterSource"

    /// A subscription with what it holds.
    package struct SubscriptionState: Sendable {
        package var subscription: Google_Pubsub_V1_Subscription
        package var backlog: Int
        package var oldestUnacknowledged: Timestamp?
    }

    package func topics(project: String) async throws(PubSubError) -> [Google_Pubsub_V1_Topic] {
        try await self.store.topics(project: project, after: nil, limit: Int.max)
    }

    /// Every subscription of the project, without what it holds.
    package func subscriptions(project: String) async throws(PubSubError) -> [Google_Pubsub_V1_Subscription] {
        try await self.store.subscriptions(project: project, after: nil, limit: Int.max)
    }

    package func subscriptionStates(project: String) async throws(PubSubError) -> [SubscriptionState] {
        let subscriptions = try await self.subscriptions(project: project)
        let backlog = Dictionary(
            try await self.store.backlog().map { ($0.subscription, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        return subscriptions.map { subscription in
            let held = backlog[subscription.name]
            return SubscriptionState(
                subscription: subscription,
                backlog: held?.messages ?? 0,
                oldestUnacknowledged: held?.oldestPublishMicros.map { Timestamp(microsecondsSinceEpoch: $0) }
            )
        }
    }

    /// Up to `limit` unacknowledged messages of the subscriptions after `position`, leasing none.
    package func peek(
        subscriptions: [String],
        after position: Int64,
        limit: Int
    ) async throws(PubSubError) -> [HeldMessage] {
        for name in subscriptions where try await self.store.subscription(name: name) == nil {
            throw .notFound(name)
        }
        return try await self.store.held(subscriptions: subscriptions, after: position, limit: limit)
    }

    /// Publishes one message after the checks the REST API makes; returns its id.
    package func publish(
        topic: String,
        data: Data,
        attributes: [String: String],
        orderingKey: String
    ) async throws(PubSubError) -> String {
        var request = Google_Pubsub_V1_PublishRequest()
        var message = Google_Pubsub_V1_PubsubMessage()
        message.data = data
        message.attributes = attributes
        message.orderingKey = orderingKey
        request.messages = [message]
        let messages = try PublishValidation.messages(of: request)
        return try await self.store.publish(
            topic: topic,
            messages: messages,
            nowMicros: self.clock.now().microsecondsSinceEpoch
        )[0]
    }

    /// Publishes a dead letter again to the topic of the subscription it was dead-lettered from, without the
    /// `CloudPubSubDeadLetterSource*` attributes, and removes it from `subscription`, in one transaction.
    package func redrive(subscription: String, messageID: String) async throws(PubSubError) -> String {
        let store = self.store
        // The source subscription's topic is read inside the same transaction as the publish, by name.
        let sources = Dictionary(
            try await self.subscriptions(project: Self.project(of: subscription)).map { ($0.name, $0.topic) },
            uniquingKeysWith: { first, _ in first }
        )
        return try await store.republish(
            subscription: subscription,
            messageID: messageID,
            attributes: { attributes in
                guard let source = attributes[Self.deadLetterSourcePrefix + "Subscription"] else {
                    throw PubSubError.failedPrecondition(
                        "Message \(messageID) carries no \(Self.deadLetterSourcePrefix)Subscription attribute: it was "
                            + "not dead-lettered, so it has no topic to go back to."
                    )
                }
                let project = attributes[Self.deadLetterSourcePrefix + "SubscriptionProject"] ?? ""
                let name = "projects/\(project)/subscriptions/\(source)"
                guard let topic = sources[name] else {
                    throw PubSubError.failedPrecondition(
                        "Message \(messageID) came from \(name), which no longer exists: there is no topic to redrive "
                            + "it to."
                    )
                }
                return (topic, attributes.filter { !$0.key.hasPrefix(Self.deadLetterSourcePrefix) })
            },
            nowMicros: self.clock.now().microsecondsSinceEpoch
        )
    }

    /// Removes a held message without delivering it.
    package func purge(subscription: String, messageID: String) async throws(PubSubError) {
        try await self.store.discard(subscription: subscription, messageID: messageID)
    }

    private static func project(of name: String) -> String {
        let parts = name.split(separator: "/")
        return parts.count == 4 ? String(parts[1]) : ""
    }
}

extension LocalPubSub {
    /// Whether the subscription (full name) exists.
    package func hasSubscription(_ name: String) async throws(PubSubError) -> Bool {
        try await self.store.subscription(name: name) != nil
    }
}
