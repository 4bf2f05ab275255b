import GRPCCore
import HTTPTypes
import PubSubProtocol
import SwiftProtobuf

/// `google.pubsub.v1.Subscriber` over the emulator's state.
struct SubscriberService: Google_Pubsub_V1_Subscriber.SimpleServiceProtocol {
    let api: PubSubAPI

    func createSubscription(
        request: Google_Pubsub_V1_Subscription,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_Subscription {
        try GRPCResourceName.check(request.name, collection: "subscriptions")
        return try await self.api.call(.put, request.name, body: request)
    }

    func getSubscription(
        request: Google_Pubsub_V1_GetSubscriptionRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_Subscription {
        try GRPCResourceName.check(request.subscription, collection: "subscriptions")
        return try await self.api.call(.get, request.subscription)
    }

    func updateSubscription(
        request: Google_Pubsub_V1_UpdateSubscriptionRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_Subscription {
        try GRPCResourceName.check(request.subscription.name, collection: "subscriptions")
        return try await self.api.call(.patch, request.subscription.name, body: request)
    }

    func listSubscriptions(
        request: Google_Pubsub_V1_ListSubscriptionsRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_ListSubscriptionsResponse {
        try GRPCResourceName.checkProject(request.project)
        return try await self.api.call(
            .get,
            request.project,
            suffix: "/subscriptions",
            query: PublisherService.page(request.pageSize, request.pageToken)
        )
    }

    func deleteSubscription(
        request: Google_Pubsub_V1_DeleteSubscriptionRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        try GRPCResourceName.check(request.subscription, collection: "subscriptions")
        return try await self.api.call(.delete, request.subscription)
    }

    func modifyAckDeadline(
        request: Google_Pubsub_V1_ModifyAckDeadlineRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        try await self.subscriptionCall(request.subscription, ":modifyAckDeadline", request)
    }

    func acknowledge(
        request: Google_Pubsub_V1_AcknowledgeRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        try await self.subscriptionCall(request.subscription, ":acknowledge", request)
    }

    func pull(request: Google_Pubsub_V1_PullRequest, context: ServerContext) async throws
        -> Google_Pubsub_V1_PullResponse
    {
        try await self.subscriptionCall(request.subscription, ":pull", request)
    }

    func streamingPull(
        request: RPCAsyncSequence<Google_Pubsub_V1_StreamingPullRequest, any Error>,
        response: RPCWriter<Google_Pubsub_V1_StreamingPullResponse>,
        context: ServerContext
    ) async throws {
        try await StreamingPull(api: self.api).serve(request, response)
    }

    func modifyPushConfig(
        request: Google_Pubsub_V1_ModifyPushConfigRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        try await self.subscriptionCall(request.subscription, ":modifyPushConfig", request)
    }

    func getSnapshot(
        request: Google_Pubsub_V1_GetSnapshotRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_Snapshot {
        throw UnbuiltRPC.error("GetSnapshot")
    }

    func listSnapshots(
        request: Google_Pubsub_V1_ListSnapshotsRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_ListSnapshotsResponse {
        throw UnbuiltRPC.error("ListSnapshots")
    }

    func createSnapshot(
        request: Google_Pubsub_V1_CreateSnapshotRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_Snapshot {
        throw UnbuiltRPC.error("CreateSnapshot")
    }

    func updateSnapshot(
        request: Google_Pubsub_V1_UpdateSnapshotRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_Snapshot {
        throw UnbuiltRPC.error("UpdateSnapshot")
    }

    func deleteSnapshot(
        request: Google_Pubsub_V1_DeleteSnapshotRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        throw UnbuiltRPC.error("DeleteSnapshot")
    }

    func seek(request: Google_Pubsub_V1_SeekRequest, context: ServerContext) async throws
        -> Google_Pubsub_V1_SeekResponse
    {
        throw UnbuiltRPC.error("Seek")
    }

    /// A call on one subscription, named in the request and carried in the REST path rather than its body.
    private func subscriptionCall<Response: SwiftProtobuf.Message>(
        _ subscription: String,
        _ verb: String,
        _ request: some SwiftProtobuf.Message
    ) async throws(RPCError) -> Response {
        try GRPCResourceName.check(subscription, collection: "subscriptions")
        return try await self.api.call(.post, subscription, suffix: verb, body: request, pathFields: ["subscription"])
    }
}
