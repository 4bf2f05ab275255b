import Foundation
import PubSubProtocol

/// The parts of a push subscription's configuration the deliverer acts on.
struct PushSettings: Sendable {
    var name: String
    var endpoint: String
    var noWrapper: Bool
    var writeMetadata: Bool
    var ackDeadlineSeconds: Int
    var minimumBackoff: Double?
    var maximumBackoff: Double
    var deadLetterTopic: String?
    var maxDeliveryAttempts: Int
    /// `pushConfig.oidcToken`: the service account the token names and its audience (the endpoint when unset).
    var oidc: (serviceAccount: String, audience: String)?
    /// The whole subscription, as read once for this tick.
    var subscription: Subscription

    init?(_ subscription: Subscription) {
        let push = subscription.pushConfig
        guard !push.pushEndpoint.isEmpty else { return nil }
        self.name = subscription.name
        self.endpoint = push.pushEndpoint
        if case .noWrapper(let noWrapper)? = push.wrapper {
            self.noWrapper = true
            self.writeMetadata = noWrapper.writeMetadata
        } else {
            self.noWrapper = false
            self.writeMetadata = false
        }
        if case .oidcToken(let token)? = push.authenticationMethod {
            self.oidc = (token.serviceAccountEmail, token.audience.isEmpty ? push.pushEndpoint : token.audience)
        }
        self.ackDeadlineSeconds = Int(subscription.ackDeadlineSeconds)
        if subscription.hasRetryPolicy {
            let retry = subscription.retryPolicy
            self.minimumBackoff =
                retry.hasMinimumBackoff
                ? retry.minimumBackoff.totalSeconds : SubscriptionValidation.defaultBackoff.minimum
            self.maximumBackoff =
                retry.hasMaximumBackoff
                ? retry.maximumBackoff.totalSeconds : SubscriptionValidation.defaultBackoff.maximum
        } else {
            self.minimumBackoff = nil
            self.maximumBackoff = SubscriptionValidation.defaultBackoff.maximum
        }
        self.deadLetterTopic = subscription.hasDeadLetterPolicy ? subscription.deadLetterPolicy.deadLetterTopic : nil
        self.maxDeliveryAttempts =
            subscription.hasDeadLetterPolicy ? Int(subscription.deadLetterPolicy.maxDeliveryAttempts) : 5
        self.subscription = subscription
    }

    /// The retry policy's delay before attempt `attempt + 1`: minimumBackoff × 2^(attempt-1), capped; 0 without a policy.
    func retryDelay(afterAttempt attempt: Int) -> Double {
        guard let minimum = self.minimumBackoff else { return 0 }
        let exponent = Double(max(0, min(attempt - 1, 30)))
        return min(minimum * pow(2, exponent), max(minimum, self.maximumBackoff))
    }

    /// `projects/p/subscriptions/s` split into the project and the subscription id.
    var projectAndId: (project: String, id: String) {
        let parts = self.name.split(separator: "/").map(String.init)
        return parts.count == 4 ? (parts[1], parts[3]) : ("", self.name)
    }
}
