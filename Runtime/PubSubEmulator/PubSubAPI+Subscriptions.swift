import Foundation
import PubSubProtocol
import SwiftProtobuf

extension PubSubAPI {
    static let updatableSubscriptionFields: Set<String> = [
        "ack_deadline_seconds", "push_config", "bigquery_config", "cloud_storage_config", "retain_acked_messages",
        "message_retention_duration", "labels", "expiration_policy", "dead_letter_policy", "retry_policy", "detached",
        "enable_exactly_once_delivery", "message_transforms",
    ]

    func createSubscription(_ subscription: Subscription) async throws(PubSubError) -> Subscription {
        let (project, _) = try ResourceName.parseSubscription(subscription.name, field: "name")
        let validated = try SubscriptionValidation.validated(
            subscription,
            allowsRemotePushEndpoints: self.configuration.allowsRemotePushEndpoints
        )
        try await self.store.createSubscription(validated, project: project)
        return validated
    }

    func getSubscription(_ request: Google_Pubsub_V1_GetSubscriptionRequest) async throws(PubSubError) -> Subscription {
        try await self.existingSubscription(request.subscription)
    }

    /// The fields the mask names take their values from the request's subscription (absent means cleared), and
    /// the result is validated as a whole, as a create would be.
    func updateSubscription(
        _ request: Google_Pubsub_V1_UpdateSubscriptionRequest
    ) async throws(PubSubError)
        -> Subscription
    {
        let mask = try UpdateMask(
            request.updateMask,
            request: "UpdateSubscriptionRequest",
            resource: "Subscription",
            updatable: Self.updatableSubscriptionFields
        )
        let current = try await self.existingSubscription(request.subscription.name)
        let validated = try SubscriptionValidation.validated(
            try mask.apply(request.subscription, to: current),
            allowsRemotePushEndpoints: self.configuration.allowsRemotePushEndpoints
        )
        try await self.store.replaceSubscription(validated)
        return validated
    }

    func deleteSubscription(
        _ request: Google_Pubsub_V1_DeleteSubscriptionRequest
    ) async throws(PubSubError)
        -> Google_Protobuf_Empty
    {
        _ = try ResourceName.parseSubscription(request.subscription, field: "subscription")
        try await self.store.deleteSubscription(name: request.subscription)
        return Google_Protobuf_Empty()
    }

    func listSubscriptions(
        _ request: Google_Pubsub_V1_ListSubscriptionsRequest
    ) async throws(PubSubError)
        -> Google_Pubsub_V1_ListSubscriptionsResponse
    {
        let project = try ResourceName.parseProject(request.project, field: "project")
        let page = try Self.page(size: request.pageSize, token: request.pageToken)
        let subscriptions = try await self.store.subscriptions(
            project: project,
            after: page.after,
            limit: page.size + 1
        )
        var response = Google_Pubsub_V1_ListSubscriptionsResponse()
        (response.subscriptions, response.nextPageToken) = Self.page(of: subscriptions, size: page.size, name: \.name)
        return response
    }

    /// Replaces the push configuration; an empty one turns the subscription into a pull subscription.
    func modifyPushConfig(
        _ request: Google_Pubsub_V1_ModifyPushConfigRequest
    ) async throws(PubSubError)
        -> Google_Protobuf_Empty
    {
        var subscription = try await self.existingSubscription(request.subscription)
        subscription.pushConfig = request.pushConfig
        let validated = try SubscriptionValidation.validated(
            subscription,
            allowsRemotePushEndpoints: self.configuration.allowsRemotePushEndpoints
        )
        try await self.store.replaceSubscription(validated)
        return Google_Protobuf_Empty()
    }

    func existingSubscription(_ name: String) async throws(PubSubError) -> Subscription {
        _ = try ResourceName.parseSubscription(name, field: "subscription")
        guard let subscription = try await self.store.subscription(name: name) else { throw .notFound(name) }
        return subscription
    }
}
