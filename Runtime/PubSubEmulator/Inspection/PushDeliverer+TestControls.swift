import ContrailKit

/// The console's test controls: none of them exists in Pub/Sub, and none is kept across restarts.
extension PushDeliverer {
    /// How the pushes of a subscription (full name) have ended since the start, by outcome name
    /// (`ack`, `nack`, `timeout`, `error`).
    package func outcomes(of subscription: String) -> [String: Int] {
        Dictionary(
            uniqueKeysWithValues: (self.states[subscription]?.outcomes ?? [:]).map { ($0.key.rawValue, $0.value) }
        )
    }

    package func faults(of subscription: String) -> PushFaults {
        self.faults[subscription] ?? .none
    }

    package func setFaults(_ faults: PushFaults, for subscription: String) {
        self.faults[subscription] = faults == .none ? nil : faults
    }

    package func isPaused(_ subscription: String) -> Bool {
        self.paused.contains(subscription)
    }

    /// While paused, nothing of the subscription is leased or pushed; messages keep arriving in its backlog.
    package func setPaused(_ paused: Bool, subscription: String) {
        if paused { self.paused.insert(subscription) } else { self.paused.remove(subscription) }
    }

    /// Ends the subscription's push backoff and makes every message waiting out a retry backoff or an ack
    /// deadline deliverable now, except those being pushed at this moment. Returns how many messages it freed.
    package func skipWaits(subscription: String) async throws(PubSubError) -> Int {
        self.states[subscription]?.pausedUntilMicros = 0
        return try await self.store.makeDue(
            subscription: subscription,
            except: self.inFlightAckIds,
            nowMicros: self.clock.now().microsecondsSinceEpoch
        )
    }
}
