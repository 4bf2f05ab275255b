import Foundation

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

    init?(_ subscription: StoredSubscription) {
        let config = JSONObject.decode(subscription.config)
        guard let push = config["pushConfig"] as? [String: Any], let endpoint = push["pushEndpoint"] as? String,
            !endpoint.isEmpty
        else { return nil }
        self.name = subscription.name
        self.endpoint = endpoint
        let noWrapper = push["noWrapper"] as? [String: Any]
        self.noWrapper = noWrapper != nil
        self.writeMetadata = noWrapper?["writeMetadata"] as? Bool ?? false
        if let token = push["oidcToken"] as? [String: Any], let email = token["serviceAccountEmail"] as? String {
            let audience = token["audience"] as? String ?? ""
            self.oidc = (email, audience.isEmpty ? endpoint : audience)
        }
        self.ackDeadlineSeconds = subscription.ackDeadlineSeconds
        if let retry = config["retryPolicy"] as? [String: Any] {
            self.minimumBackoff = (try? ProtoJSON.duration(retry["minimumBackoff"], field: "")) ?? 10
            self.maximumBackoff = (try? ProtoJSON.duration(retry["maximumBackoff"], field: "")) ?? 600
        } else {
            self.minimumBackoff = nil
            self.maximumBackoff = 600
        }
        let deadLetter = config["deadLetterPolicy"] as? [String: Any]
        self.deadLetterTopic = deadLetter?["deadLetterTopic"] as? String
        self.maxDeliveryAttempts = deadLetter?["maxDeliveryAttempts"] as? Int ?? 5
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
