import Foundation

/// Validates a `Subscription` body and normalises it to what GetSubscription returns.
struct SubscriptionConfig {
    static let knownFields: Set<String> = [
        "name", "topic", "pushConfig", "bigqueryConfig", "cloudStorageConfig", "ackDeadlineSeconds",
        "retainAckedMessages", "messageRetentionDuration", "labels", "enableMessageOrdering", "expirationPolicy",
        "filter", "deadLetterPolicy", "retryPolicy", "detached", "enableExactlyOnceDelivery",
        "topicMessageRetentionDuration", "state", "analyticsHubSubscriptionInfo", "messageTransforms",
    ]

    let stored: StoredSubscription
    let deadLetterTopic: String?

    /// - Parameter allowsRemotePushEndpoints: whether `pushConfig.pushEndpoint` may be outside loopback.
    init(_ body: JSONObject, project: String, id: String, allowsRemotePushEndpoints: Bool) throws(PubSubError) {
        try body.requireKnown(Self.knownFields, at: nil)
        guard let topic = try ProtoJSON.string(body["topic"], field: "topic"), !topic.isEmpty else {
            throw .invalid("The topic field is required (field: topic).")
        }
        _ = try ResourceName.parseTopic(topic, field: "topic")
        var config = body.fields.filter { !($0.value is NSNull) }
        config["name"] = nil
        config["topic"] = nil
        config["state"] = "ACTIVE"

        var deadline = try ProtoJSON.int(body["ackDeadlineSeconds"], field: "ackDeadlineSeconds") ?? 0
        if deadline == 0 { deadline = 10 }
        guard (10...600).contains(deadline) else {
            throw .invalid("Invalid ackDeadlineSeconds: \(deadline). It must be between 10 and 600 seconds.")
        }
        config["ackDeadlineSeconds"] = deadline

        let retention = try ProtoJSON.duration(body["messageRetentionDuration"], field: "messageRetentionDuration") ?? 604_800
        guard (600...2_678_400).contains(retention) else {
            throw .invalid("Invalid messageRetentionDuration: it must be between 10 minutes and 31 days.")
        }
        config["messageRetentionDuration"] = ProtoJSON.formatDuration(retention)

        if let ordering = try ProtoJSON.bool(body["enableMessageOrdering"], field: "enableMessageOrdering") {
            config["enableMessageOrdering"] = ordering
        }
        if body["retryPolicy"] != nil {
            config["retryPolicy"] = try Self.retryPolicy(JSONObject(body["retryPolicy"], field: "retryPolicy"))
        }
        var deadLetterTopic: String?
        if body["deadLetterPolicy"] != nil {
            let (policy, topic) = try Self.deadLetterPolicy(JSONObject(body["deadLetterPolicy"], field: "deadLetterPolicy"))
            config["deadLetterPolicy"] = policy
            deadLetterTopic = topic
        }
        if body["pushConfig"] != nil {
            config["pushConfig"] = try PushConfigValidation.validate(
                JSONObject(body["pushConfig"], field: "pushConfig"), at: "pushConfig",
                allowsRemoteEndpoints: allowsRemotePushEndpoints
            )
        }
        self.deadLetterTopic = deadLetterTopic
        self.stored = StoredSubscription(
            name: ResourceName.subscription(project: project, id: id), project: project, topic: topic,
            config: JSONObject.encode(config), ackDeadlineSeconds: deadline, deadLetter: deadLetterTopic != nil
        )
    }

    /// Pub/Sub's backoffs when a field is absent (``PushSettings`` applies the same).
    static let defaultBackoff = (minimum: 10.0, maximum: 600.0)

    private static func retryPolicy(_ policy: JSONObject) throws(PubSubError) -> [String: Any] {
        try policy.requireKnown(["minimumBackoff", "maximumBackoff"], at: "retryPolicy")
        var result: [String: Any] = [:]
        var seconds: [String: Double] = [:]
        for field in ["minimumBackoff", "maximumBackoff"] {
            guard let value = try ProtoJSON.duration(policy[field], field: "retryPolicy.\(field)") else { continue }
            guard (0...600).contains(value) else {
                throw .invalid("Invalid retryPolicy.\(field): it must be between 0 and 600 seconds.")
            }
            seconds[field] = value
            result[field] = ProtoJSON.formatDuration(value)
        }
        let minimum = seconds["minimumBackoff"] ?? Self.defaultBackoff.minimum
        let maximum = seconds["maximumBackoff"] ?? Self.defaultBackoff.maximum
        guard minimum <= maximum else {
            let given = { (field: String, value: Double) in
                ProtoJSON.formatDuration(value) + (seconds[field] == nil ? ", the default" : "")
            }
            throw .invalid(
                "Invalid retryPolicy: retryPolicy.minimumBackoff (\(given("minimumBackoff", minimum))) must not be "
                    + "greater than retryPolicy.maximumBackoff (\(given("maximumBackoff", maximum)))."
            )
        }
        return result
    }

    private static func deadLetterPolicy(_ policy: JSONObject) throws(PubSubError) -> ([String: Any], String) {
        try policy.requireKnown(["deadLetterTopic", "maxDeliveryAttempts"], at: "deadLetterPolicy")
        guard let topic = try ProtoJSON.string(policy["deadLetterTopic"], field: "deadLetterPolicy.deadLetterTopic"),
            !topic.isEmpty
        else { throw .invalid("The deadLetterPolicy.deadLetterTopic field is required.") }
        _ = try ResourceName.parseTopic(topic, field: "deadLetterPolicy.deadLetterTopic")
        var attempts = try ProtoJSON.int(policy["maxDeliveryAttempts"], field: "deadLetterPolicy.maxDeliveryAttempts") ?? 0
        if attempts == 0 { attempts = 5 }
        guard (5...100).contains(attempts) else {
            throw .invalid("Invalid deadLetterPolicy.maxDeliveryAttempts: \(attempts). It must be between 5 and 100.")
        }
        return (["deadLetterTopic": topic, "maxDeliveryAttempts": attempts], topic)
    }

    /// The JSON a client sees: the stored config plus `name`, `topic`, and the push attributes Google echoes.
    static func render(_ subscription: StoredSubscription) -> [String: Any] {
        var object = JSONObject.decode(subscription.config)
        object["name"] = subscription.name
        object["topic"] = subscription.topic
        if var push = object["pushConfig"] as? [String: Any] {
            var attributes = push["attributes"] as? [String: Any] ?? [:]
            if attributes["x-goog-version"] == nil { attributes["x-goog-version"] = "v1" }
            push["attributes"] = attributes
            object["pushConfig"] = push
        }
        return object
    }
}
