import ContrailKit
import Foundation
import PubSubEmulator
import PubSubProtocol
import SwiftProtobuf

/// What the pages and the API show, read afresh for each request.
extension Console {
    func functionViews() -> [FunctionView] {
        self.functions.map { function in
            let totals = self.journal.totals(of: function.name)
            return FunctionView(
                name: function.name,
                kind: function.trigger == nil ? "http" : "message",
                url: function.url,
                trigger: Self.describe(function.trigger, function: function.name),
                invocations: totals.count,
                errors: totals.errors
            )
        }
    }

    func subscriptionViews() async throws(PubSubError) -> [SubscriptionView] {
        let now = self.pubsub.clock.now()
        var views: [SubscriptionView] = []
        for state in try await self.pubsub.subscriptionStates(project: self.project) {
            let subscription = state.subscription
            let name = subscription.name
            let flow = await self.deliverer.flow(of: name)
            let outcomes = await self.deliverer.outcomes(of: name)
            let faults = await self.deliverer.faults(of: name)
            let retry = subscription.hasRetryPolicy ? subscription.retryPolicy : nil
            let push = subscription.pushConfig.pushEndpoint
            views.append(
                SubscriptionView(
                    id: ResourceID.short(name),
                    topic: ResourceID.short(subscription.topic),
                    backlog: state.backlog,
                    oldestUnackedAgeSeconds: state.oldestUnacknowledged.map {
                        Double(max(0, now.microsecondsSinceEpoch - $0.microsecondsSinceEpoch) / 1000) / 1000
                    },
                    pushEndpoint: push.isEmpty ? nil : push,
                    outcomes: OutcomeCounts(
                        ack: outcomes["ack"] ?? 0,
                        nack: outcomes["nack"] ?? 0,
                        timeout: outcomes["timeout"] ?? 0,
                        error: outcomes["error"] ?? 0
                    ),
                    window: flow.window,
                    inFlight: flow.inFlight,
                    backoffSeconds: Double(max(0, flow.pausedUntilMicros - now.microsecondsSinceEpoch) / 1000) / 1000,
                    paused: await self.deliverer.isPaused(name),
                    faults: FaultsView(
                        failurePercent: faults.failurePercent,
                        latencyMs: Int(faults.latency / .milliseconds(1))
                    ),
                    settings: SubscriptionSettingsView(
                        ackDeadlineSeconds: Int(subscription.ackDeadlineSeconds),
                        minimumBackoffSeconds: retry.map { $0.minimumBackoff.totalSeconds },
                        maximumBackoffSeconds: retry.map { $0.maximumBackoff.totalSeconds },
                        retry: retry.map {
                            "\(Self.seconds($0.minimumBackoff))–\(Self.seconds($0.maximumBackoff)) s"
                        },
                        deadLetterTopic: subscription.hasDeadLetterPolicy
                            ? ResourceID.short(subscription.deadLetterPolicy.deadLetterTopic) : nil,
                        maxDeliveryAttempts: subscription.hasDeadLetterPolicy
                            ? Int(subscription.deadLetterPolicy.maxDeliveryAttempts) : nil,
                        messageOrdering: subscription.enableMessageOrdering,
                        filter: subscription.filter.isEmpty ? nil : subscription.filter
                    )
                )
            )
        }
        return views
    }

    /// The subscriptions that keep dead letters: those attached to a topic some subscription dead-letters to.
    func deadLetterSubscriptions() async throws(PubSubError) -> [String] {
        let subscriptions = try await self.pubsub.subscriptions(project: self.project)
        let deadLetterTopics = Set(
            subscriptions.filter(\.hasDeadLetterPolicy).map(\.deadLetterPolicy.deadLetterTopic)
        )
        return subscriptions.filter { deadLetterTopics.contains($0.topic) }.map(\.name)
    }

    /// Subscription names to their topics, for naming where a dead letter came from.
    func topicsBySubscription() async throws(PubSubError) -> [String: String] {
        let subscriptions = try await self.pubsub.subscriptions(project: self.project)
        return Dictionary(subscriptions.map { ($0.name, $0.topic) }, uniquingKeysWith: { a, _ in a })
    }

    func topicIDs() async throws(PubSubError) -> [String] {
        try await self.pubsub.topics(project: self.project).map { ResourceID.short($0.name) }
    }

    func messages(
        of subscriptions: [String],
        after position: Int64,
        limit: Int
    ) async throws(PubSubError) -> [MessageView] {
        let topics = try await self.topicsBySubscription()
        return try await self.pubsub.peek(subscriptions: subscriptions, after: position, limit: limit).map {
            MessageView($0, project: self.project, topics: topics)
        }
    }

    /// A protobuf duration as the pages write it: whole seconds bare, others with their fraction.
    static func seconds(_ duration: Google_Protobuf_Duration) -> String {
        duration.nanos == 0 ? String(duration.seconds) : String(duration.totalSeconds)
    }

    static func describe(_ trigger: MessageTrigger?, function: String) -> String {
        guard let trigger else { return "HTTP" }
        var text = "topic \(trigger.topic) → push subscription \(trigger.subscriptionID(function: function)), "
        text += "ack deadline \(trigger.ackDeadline.components.seconds) s"
        if let retry = trigger.retryPolicy {
            text += ", retry \(retry.minimumBackoff.components.seconds)–\(retry.maximumBackoff.components.seconds) s"
        }
        if let attempts = trigger.maxDeliveryAttempts, let topic = trigger.deadLetterTopic {
            text += ", dead letters to \(topic) after \(attempts) attempts"
        }
        if trigger.messageOrdering { text += ", ordered" }
        if let filter = trigger.filter { text += ", filter \(filter)" }
        return text
    }
}
