import CoreMetrics
import Metrics

/// How a push ended, as the push outcome metric labels it.
enum PushOutcome: String, Sendable {
    /// The endpoint answered 102, 200, 201, 202 or 204.
    case ack
    /// The endpoint answered any other status.
    case nack
    /// No answer within the ack deadline.
    case timeout
    /// No HTTP answer at all: refused, reset, or not HTTP.
    case error
}

/// The local Pub/Sub service's metrics, per subscription (its full name, a bounded set).
struct PushMetrics: Sendable {
    static let pushesName = "contrail_pubsub_push_requests_total"
    static let deadLetteredName = "contrail_pubsub_dead_lettered_messages_total"
    static let acknowledgedName = "contrail_pubsub_acknowledged_messages_total"
    static let backlogName = "contrail_pubsub_backlog_messages"
    static let oldestAgeName = "contrail_pubsub_oldest_unacked_message_age_seconds"

    func pushed(_ subscription: String, outcome: PushOutcome) {
        Counter(label: Self.pushesName, dimensions: [("subscription", subscription), ("outcome", outcome.rawValue)])
            .increment()
    }

    func acknowledged(_ subscription: String) {
        Counter(label: Self.acknowledgedName, dimensions: [("subscription", subscription)]).increment()
    }

    func deadLettered(_ subscription: String) {
        Counter(label: Self.deadLetteredName, dimensions: [("subscription", subscription)]).increment()
    }

    /// Creates every counter of a subscription at zero, so that each series exists from the first scrape and a
    /// rate or an increase over it is defined before the first event.
    func declare(_ subscription: String) {
        for outcome in [PushOutcome.ack, .nack, .timeout, .error] {
            _ = Counter(
                label: Self.pushesName,
                dimensions: [("subscription", subscription), ("outcome", outcome.rawValue)]
            )
        }
        _ = Counter(label: Self.acknowledgedName, dimensions: [("subscription", subscription)])
        _ = Counter(label: Self.deadLetteredName, dimensions: [("subscription", subscription)])
    }

    func backlog(_ subscription: String, messages: Int, oldestAgeSeconds: Double) {
        Gauge(label: Self.backlogName, dimensions: [("subscription", subscription)]).record(messages)
        Gauge(label: Self.oldestAgeName, dimensions: [("subscription", subscription)]).record(oldestAgeSeconds)
    }
}
