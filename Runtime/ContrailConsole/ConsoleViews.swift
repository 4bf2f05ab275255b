import ContrailHost
import ContrailKit
import Foundation
import PubSubEmulator

// What the console shows, one value per thing: encoded as JSON by the API and rendered by the pages' templates
// (which read stored properties only, so every shown value is stored).

struct FunctionView: Codable, Sendable {
    var name: String
    var kind: String
    var url: String
    /// How it is triggered, in words: the topic and subscription with their settings, or "HTTP".
    var trigger: String
    var invocations: Int
    var errors: Int
}

struct InvocationView: Codable, Sendable {
    var id: Int
    var function: String
    var method: String
    var path: String
    var status: Int
    var failed: Bool
    var durationMs: Double
    var deliveryAttempt: Int?
    var messageId: String?
    var traceId: String?
    var time: String
    var failure: String?
    var logLines: [String]?

    init(_ entry: InvocationJournal.Entry, withLogLines: Bool) {
        let invocation = entry.invocation
        self.id = entry.id
        self.function = invocation.function
        self.method = invocation.method
        self.path = invocation.path
        self.status = invocation.status
        self.failed = invocation.status >= 500
        // Hundredths of a millisecond, as the invocation's log line writes them.
        self.durationMs = (invocation.duration / .microseconds(10)).rounded(.down) / 100
        self.deliveryAttempt = invocation.deliveryAttempt
        self.messageId = invocation.messageID
        self.traceId = invocation.traceID
        self.time = invocation.started.rfc3339
        self.failure = invocation.failure
        self.logLines = withLogLines ? invocation.logLines : nil
    }
}

struct OutcomeCounts: Codable, Sendable {
    var ack = 0
    var nack = 0
    var timeout = 0
    var error = 0
}

struct FaultsView: Codable, Sendable {
    var failurePercent: Int
    var latencyMs: Int
}

struct SubscriptionSettingsView: Codable, Sendable {
    var ackDeadlineSeconds: Int
    var minimumBackoffSeconds: Double?
    var maximumBackoffSeconds: Double?
    /// The retry policy in words, as the pages show it ("10–600 s").
    var retry: String?
    var deadLetterTopic: String?
    var maxDeliveryAttempts: Int?
    var messageOrdering: Bool
    var filter: String?
}

struct SubscriptionView: Codable, Sendable {
    var id: String
    var topic: String
    var backlog: Int
    var oldestUnackedAgeSeconds: Double?
    var pushEndpoint: String?
    var outcomes: OutcomeCounts
    var window: Int
    var inFlight: Int
    var backoffSeconds: Double
    var paused: Bool
    var faults: FaultsView
    var settings: SubscriptionSettingsView
}

struct Attribute: Codable, Sendable {
    var key: String
    var value: String
}

struct MessageView: Codable, Sendable {
    var subscription: String
    var position: Int64
    var messageId: String
    /// Base64, as Pub/Sub's JSON carries data.
    var data: String
    /// The data as text when it is UTF-8, for the pages.
    var text: String?
    var attributes: [String: String]
    var orderingKey: String
    var publishTime: String
    var deliveryAttempt: Int
    /// The attributes in key order, for the pages.
    var attributeList: [Attribute]
    /// Where a dead letter came from (its `CloudPubSubDeadLetterSource*` attributes).
    var sourceSubscription: String?
    var sourceTopic: String?
    var deliveryCount: Int?

    init(_ message: HeldMessage, project: String, topics: [String: String]) {
        let prefix = LocalPubSub.deadLetterSourcePrefix
        self.subscription = ResourceID.short(message.subscription)
        self.position = message.position
        self.messageId = message.messageID
        self.data = message.data.base64EncodedString()
        self.text = String(data: message.data, encoding: .utf8)
        self.attributes = message.attributes
        self.orderingKey = message.orderingKey
        self.publishTime = message.publishTime.rfc3339
        self.deliveryAttempt = message.deliveryAttempts
        self.attributeList = message.attributes.sorted { $0.key < $1.key }.map {
            Attribute(key: $0.key, value: $0.value)
        }
        self.sourceSubscription = message.attributes[prefix + "Subscription"]
        self.deliveryCount = message.attributes[prefix + "DeliveryCount"].flatMap(Int.init)
        let sourceProject = message.attributes[prefix + "SubscriptionProject"] ?? project
        self.sourceTopic = self.sourceSubscription.flatMap {
            topics["projects/\(sourceProject)/subscriptions/\($0)"].map(ResourceID.short)
        }
    }
}

/// Full resource names and the short ids the console speaks in.
enum ResourceID {
    static func short(_ name: String) -> String {
        name.split(separator: "/").last.map(String.init) ?? name
    }

    static func subscription(_ id: String, project: String) -> String {
        "projects/\(project)/subscriptions/\(id)"
    }

    static func topic(_ id: String, project: String) -> String {
        "projects/\(project)/topics/\(id)"
    }
}
