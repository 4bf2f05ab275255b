import Foundation
import PubSubProtocol
package import SwiftProtobuf

/// Checks a subscription as CreateSubscription and UpdateSubscription do, and fills in Pub/Sub's defaults, so that
/// what is stored is what GetSubscription returns.
enum SubscriptionValidation {
    /// Pub/Sub's backoffs when a retry policy leaves a field out (``PushSettings`` applies the same).
    static let defaultBackoff = (minimum: 10.0, maximum: 600.0)
    static let defaultRetention: Int64 = 604_800

    /// - Parameter allowsRemotePushEndpoints: whether `pushConfig.pushEndpoint` may be outside loopback.
    static func validated(
        _ subscription: Subscription,
        allowsRemotePushEndpoints: Bool
    ) throws(PubSubError)
        -> Subscription
    {
        var result = subscription
        guard !result.topic.isEmpty else { throw .invalid("The topic field is required (field: topic).") }
        if result.topic != ResourceName.deletedTopic { _ = try ResourceName.parseTopic(result.topic, field: "topic") }

        if result.ackDeadlineSeconds == 0 { result.ackDeadlineSeconds = 10 }
        guard (10...600).contains(result.ackDeadlineSeconds) else {
            throw .invalid(
                "Invalid ackDeadlineSeconds: \(result.ackDeadlineSeconds). It must be between 10 and 600 seconds."
            )
        }
        if !result.hasMessageRetentionDuration {
            result.messageRetentionDuration = Google_Protobuf_Duration(seconds: Self.defaultRetention)
        }
        guard (600...2_678_400).contains(result.messageRetentionDuration.seconds) else {
            throw .invalid("Invalid messageRetentionDuration: it must be between 10 minutes and 31 days.")
        }
        result.state = .active
        if result.hasRetryPolicy { try Self.check(result.retryPolicy) }
        if result.hasDeadLetterPolicy { try Self.check(&result.deadLetterPolicy) }
        if result.hasPushConfig {
            if result.pushConfig == Google_Pubsub_V1_PushConfig() {
                result.clearPushConfig()
            } else {
                try PushConfigValidation.validate(
                    &result.pushConfig,
                    at: "pushConfig",
                    allowsRemoteEndpoints: allowsRemotePushEndpoints
                )
            }
        }
        return result
    }

    private static func check(_ policy: Google_Pubsub_V1_RetryPolicy) throws(PubSubError) {
        for (field, isSet, duration) in [
            ("minimumBackoff", policy.hasMinimumBackoff, policy.minimumBackoff),
            ("maximumBackoff", policy.hasMaximumBackoff, policy.maximumBackoff),
        ] where isSet {
            guard (0...600).contains(duration.totalSeconds) else {
                throw .invalid("Invalid retryPolicy.\(field): it must be between 0 and 600 seconds.")
            }
        }
        let minimum = policy.hasMinimumBackoff ? policy.minimumBackoff.totalSeconds : Self.defaultBackoff.minimum
        let maximum = policy.hasMaximumBackoff ? policy.maximumBackoff.totalSeconds : Self.defaultBackoff.maximum
        guard minimum <= maximum else {
            let given = { (value: Double, isSet: Bool) in
                ProtoJSON.formatDuration(value) + (isSet ? "" : ", the default")
            }
            throw .invalid(
                "Invalid retryPolicy: retryPolicy.minimumBackoff (\(given(minimum, policy.hasMinimumBackoff))) must "
                    + "not be greater than retryPolicy.maximumBackoff (\(given(maximum, policy.hasMaximumBackoff)))."
            )
        }
    }

    private static func check(_ policy: inout Google_Pubsub_V1_DeadLetterPolicy) throws(PubSubError) {
        guard !policy.deadLetterTopic.isEmpty else {
            throw .invalid("The deadLetterPolicy.deadLetterTopic field is required.")
        }
        _ = try ResourceName.parseTopic(policy.deadLetterTopic, field: "deadLetterPolicy.deadLetterTopic")
        if policy.maxDeliveryAttempts == 0 { policy.maxDeliveryAttempts = 5 }
        guard (5...100).contains(policy.maxDeliveryAttempts) else {
            throw .invalid(
                "Invalid deadLetterPolicy.maxDeliveryAttempts: \(policy.maxDeliveryAttempts). It must be between 5 and 100."
            )
        }
    }
}

extension Google_Protobuf_Duration {
    /// Whole and fractional seconds.
    package var totalSeconds: Double { Double(self.seconds) + Double(self.nanos) / 1_000_000_000 }
}
