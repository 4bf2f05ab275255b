import Foundation

extension PubSubAPI {
    func createSubscription(project: String, id: String, body: JSONObject) async throws(PubSubError) -> [String: Any] {
        let config = try SubscriptionConfig(
            body, project: project, id: id, allowsRemotePushEndpoints: self.configuration.allowsRemotePushEndpoints
        )
        try await self.store.createSubscription(config.stored, deadLetterTopic: config.deadLetterTopic)
        return SubscriptionConfig.render(config.stored)
    }

    func getSubscription(project: String, id: String) async throws(PubSubError) -> [String: Any] {
        SubscriptionConfig.render(try await self.existing(project: project, id: id))
    }

    func deleteSubscription(project: String, id: String) async throws(PubSubError) -> [String: Any] {
        try await self.store.deleteSubscription(name: ResourceName.subscription(project: project, id: id))
        return [:]
    }

    func listSubscriptions(project: String, query: [String: String]) async throws(PubSubError) -> [String: Any] {
        let page = try Self.page(query)
        let rows = try await self.store.subscriptions(project: project, after: page.after, limit: page.size + 1)
        let shown = rows.prefix(page.size)
        var result: [String: Any] = [:]
        if !shown.isEmpty { result["subscriptions"] = shown.map(SubscriptionConfig.render) }
        if rows.count > page.size, let last = shown.last { result["nextPageToken"] = Self.pageToken(after: last.name) }
        return result
    }

    /// Replaces the push configuration; an empty `pushConfig` turns the subscription into a pull subscription.
    func modifyPushConfig(project: String, id: String, body: JSONObject) async throws(PubSubError) -> [String: Any] {
        try body.requireKnown(["pushConfig"], at: nil)
        let subscription = try await self.existing(project: project, id: id)
        let push = try PushConfigValidation.validate(
            JSONObject(body["pushConfig"], field: "pushConfig"), at: "pushConfig",
            allowsRemoteEndpoints: self.configuration.allowsRemotePushEndpoints
        )
        var config = JSONObject.decode(subscription.config)
        config["pushConfig"] = push
        try await self.store.updateSubscriptionConfig(name: subscription.name, config: JSONObject.encode(config))
        return [:]
    }

    func existing(project: String, id: String) async throws(PubSubError) -> StoredSubscription {
        let name = ResourceName.subscription(project: project, id: id)
        guard let subscription = try await self.store.subscription(name: name) else { throw .notFound(name) }
        return subscription
    }
}

extension PubSubAPI {
    static let updatableSubscriptionFields: Set<String> = [
        "ackDeadlineSeconds", "pushConfig", "bigqueryConfig", "cloudStorageConfig", "retainAckedMessages",
        "messageRetentionDuration", "labels", "expirationPolicy", "deadLetterPolicy", "retryPolicy", "detached",
        "enableExactlyOnceDelivery", "messageTransforms",
    ]

    /// UpdateSubscription: the fields the mask names take their values from the body (absent means cleared), and
    /// the result is validated as a whole, as a create would be.
    func updateSubscription(project: String, id: String, body: JSONObject) async throws(PubSubError) -> [String: Any] {
        try body.requireKnown(["subscription", "updateMask"], at: nil)
        let patch = try JSONObject(body["subscription"], field: "subscription")
        let mask = try UpdateMask(
            body["updateMask"], request: "UpdateSubscriptionRequest", resource: "Subscription",
            updatable: Self.updatableSubscriptionFields
        )
        try patch.requireKnown(SubscriptionConfig.knownFields, at: "subscription")
        let current = try await self.existing(project: project, id: id)
        var merged = SubscriptionConfig.render(current)
        merged["name"] = nil
        for field in mask.fields { merged[field] = patch[field] }
        let config = try SubscriptionConfig(
            JSONObject(merged, field: "subscription"), project: project, id: id,
            allowsRemotePushEndpoints: self.configuration.allowsRemotePushEndpoints
        )
        try await self.store.replaceSubscription(config.stored, deadLetterTopic: config.deadLetterTopic)
        return SubscriptionConfig.render(config.stored)
    }
}
