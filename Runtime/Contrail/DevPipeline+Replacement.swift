import AsyncHTTPClient
import ContrailKit
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PubSubEmulator
import PubSubProtocol

extension DevPipeline {
    /// Deletes the subscription at `url` when it exists on another topic, or with another filter or message
    /// ordering than `wiring` declares, so that it is created afresh with them. Pub/Sub fixes those three when a
    /// subscription is created (`terraform apply` replaces such a subscription too); a warning names what changed
    /// and how many unacknowledged messages the old subscription held, since they go with it.
    func replaceIfFixedSettingsChanged(
        _ wiring: Wiring,
        url: String,
        using client: HTTPClient,
        emulator: LocalPubSub,
        logger: Logger
    ) async throws {
        guard let existing = try await self.fetchSubscription(url, using: client) else { return }
        let changes = self.fixedSettingChanges(from: existing, to: wiring.trigger)
        guard !changes.isEmpty else { return }
        let name = "projects/\(self.project)/subscriptions/\(wiring.trigger.subscriptionID(function: wiring.function))"
        let dropped = try await emulator.unacknowledgedMessageCount(subscription: name)
        try await self.delete(url, using: client)
        let summary = changes.joined(separator: "; ")
        logger.warning(
            """
            recreating subscription \(name) because Pub/Sub fixes these at creation: \(summary); its \(dropped) \
            unacknowledged messages are dropped
            """,
            metadata: [
                "subscription": "\(name)",
                "changes": "\(summary)",
                "dropped_messages": .stringConvertible(dropped),
            ]
        )
    }

    /// The settings fixed at creation in which `existing` (the subscription as the API answers it) differs from
    /// `trigger`, each as "what old → new".
    func fixedSettingChanges(from existing: Google_Pubsub_V1_Subscription, to trigger: MessageTrigger) -> [String] {
        var changes: [String] = []
        let topic = "projects/\(self.project)/topics/\(trigger.topic)"
        if existing.topic != topic {
            changes.append("topic \(existing.topic) → \(topic)")
        }
        if existing.filter != trigger.filter ?? "" {
            changes.append("filter \(Self.quoted(existing.filter)) → \(Self.quoted(trigger.filter ?? ""))")
        }
        let ordering = existing.enableMessageOrdering
        if ordering != trigger.messageOrdering {
            changes.append("message ordering \(ordering ? "on" : "off") → \(trigger.messageOrdering ? "on" : "off")")
        }
        return changes
    }

    private func delete(_ url: String, using client: HTTPClient) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .DELETE
        let response = try await client.execute(request, timeout: .seconds(10))
        guard response.status.code == 200 || response.status.code == 404 else {
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            throw StartupError("DELETE \(url) failed with \(response.status.code): \(text)")
        }
    }

    private static func quoted(_ filter: String) -> String {
        filter.isEmpty ? "none" : "'\(filter)'"
    }
}
