extension LocalPubSub {
    /// How many messages `subscription` (`projects/<p>/subscriptions/<id>`) holds unacknowledged: what deleting it
    /// would drop. Pub/Sub's API has no call for it (Cloud Monitoring reports it), so the emulator answers in process.
    public func unacknowledgedMessageCount(subscription: String) async throws(PubSubError) -> Int {
        try await self.store.unacknowledgedCount(subscription: subscription)
    }
}
