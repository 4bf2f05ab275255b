/// What feeds a message function: a Pub/Sub topic, and the push subscription that delivers its messages.
///
/// Declared when the function is registered, it is the one description of the wiring: `contrail dev` creates the
/// topic and subscription from it, the host reads each delivery in the form it declares, and a deployment's
/// infrastructure is checked against it. Every setting defaults to Pub/Sub's own default.
///
/// ```swift
/// try registry.register(
///     "ingest", IngestFunction(),
///     trigger: MessageTrigger(topic: "events", ackDeadline: .seconds(60), maxDeliveryAttempts: 5)
/// )
/// ```
public struct MessageTrigger: Sendable, Hashable {
    /// How a push carries the message (`pushConfig.noWrapper`).
    public enum PayloadFormat: Sendable, Hashable {
        /// The JSON push envelope, `{"message":{…},"subscription":"…"}`: Pub/Sub's default.
        case wrapped
        /// The message's bytes as the body (`noWrapper`); with `writeMetadata`, its id, publish time and
        /// attributes in `x-goog-pubsub-*` headers.
        case unwrapped(writeMetadata: Bool)
    }

    /// Exponential backoff between redeliveries (`retryPolicy`); without one Pub/Sub redelivers at once.
    public struct RetryPolicy: Sendable, Hashable {
        public var minimumBackoff: Duration
        public var maximumBackoff: Duration

        /// Pub/Sub's bounds when a policy is set without them: 10 s and 600 s.
        public init(minimumBackoff: Duration = .seconds(10), maximumBackoff: Duration = .seconds(600)) {
            self.minimumBackoff = minimumBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    /// The topic's id, such as `events`, in the project the deployment or `contrail dev` uses.
    public var topic: String
    /// The push subscription's id; `nil` names it `<function>-push`.
    public var subscription: String?
    /// How long Pub/Sub waits for an answer before it delivers again (10 s to 600 s).
    public var ackDeadline: Duration
    public var retryPolicy: RetryPolicy?
    /// After this many failed deliveries (5 to 100) a message goes to the topic `<topic>-dead-letter`; `nil` keeps
    /// retrying for the message's retention.
    public var maxDeliveryAttempts: Int?
    public var payloadFormat: PayloadFormat
    /// Deliver messages with the same ordering key one at a time, in publish order.
    public var messageOrdering: Bool
    /// A Pub/Sub filter expression on attributes, such as `attributes.kind = "reading"`; `nil` delivers all.
    public var filter: String?

    public init(
        topic: String,
        subscription: String? = nil,
        ackDeadline: Duration = .seconds(10),
        retryPolicy: RetryPolicy? = nil,
        maxDeliveryAttempts: Int? = nil,
        payloadFormat: PayloadFormat = .wrapped,
        messageOrdering: Bool = false,
        filter: String? = nil
    ) {
        self.topic = topic
        self.subscription = subscription
        self.ackDeadline = ackDeadline
        self.retryPolicy = retryPolicy
        self.maxDeliveryAttempts = maxDeliveryAttempts
        self.payloadFormat = payloadFormat
        self.messageOrdering = messageOrdering
        self.filter = filter
    }

    /// The dead-letter topic's id, when the trigger has one.
    public var deadLetterTopic: String? {
        self.maxDeliveryAttempts == nil ? nil : self.topic + "-dead-letter"
    }

    /// The pull subscription that keeps the dead letters, `<topic>-dead-letter-pull`: a topic holds nothing by
    /// itself, so without it dead letters would be dropped.
    public var deadLetterSubscription: String? {
        self.deadLetterTopic.map { $0 + "-pull" }
    }

    /// The push subscription's id for the function registered as `function`.
    public func subscriptionID(function: String) -> String {
        self.subscription ?? function + "-push"
    }
}
