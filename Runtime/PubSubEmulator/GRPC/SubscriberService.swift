import GRPCCore
import PubSubProtocol
import SwiftProtobuf

/// `google.pubsub.v1.Subscriber` over the emulator's state.
struct SubscriberService: Google_Pubsub_V1_Subscriber.SimpleServiceProtocol {
    let api: PubSubAPI

    func createSubscription(request: Subscription, context: ServerContext) async throws -> Subscription {
        try await answering { () async throws(PubSubError) in try await self.api.createSubscription(request) }
    }

    func getSubscription(
        request: Google_Pubsub_V1_GetSubscriptionRequest,
        context: ServerContext
    ) async throws -> Subscription {
        try await answering { () async throws(PubSubError) in try await self.api.getSubscription(request) }
    }

    func updateSubscription(
        request: Google_Pubsub_V1_UpdateSubscriptionRequest,
        context: ServerContext
    ) async throws -> Subscription {
        try await answering { () async throws(PubSubError) in try await self.api.updateSubscription(request) }
    }

    func listSubscriptions(
        request: Google_Pubsub_V1_ListSubscriptionsRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_ListSubscriptionsResponse {
        try await answering { () async throws(PubSubError) in try await self.api.listSubscriptions(request) }
    }

    func deleteSubscription(
        request: Google_Pubsub_V1_DeleteSubscriptionRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        try await answering { () async throws(PubSubError) in try await self.api.deleteSubscription(request) }
    }

    func modifyAckDeadline(
        request: Google_Pubsub_V1_ModifyAckDeadlineRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        try await answering { () async throws(PubSubError) in try await self.api.modifyAckDeadline(request) }
    }

    func acknowledge(
        request: Google_Pubsub_V1_AcknowledgeRequest,
        context: ServerContext
    ) async throws -> Google_Protobuf_Empty {
        try await answering { () async throws(PubSubError) in try await self.api.acknowledge(request) }
    }

    func pull(
        request: Google_Pubsub_V1_PullRequest,
        context: ServerContext
    ) async throws
        -> Google_Pubsub_V1_PullResponse
    {
        try await answering { () async throws(PubSubError) in try await self.api.pull(request) }
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
        try await answering { () async throws(PubSubError) in try await self.api.modifyPushConfig(request) }
    }

    func getSnapshot(
        request: Google_Pubsub_V1_GetSnapshotRequest,
        context: ServerContext
    ) async throws
        -> Google_Pubsub_V1_Snapshot
    {
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
    ) async throws
        -> Google_Pubsub_V1_Snapshot
    {
        throw UnbuiltRPC.error("CreateSnapshot")
    }

    func updateSnapshot(
        request: Google_Pubsub_V1_UpdateSnapshotRequest,
        context: ServerContext
    ) async throws
        -> Google_Pubsub_V1_Snapshot
    {
        throw UnbuiltRPC.error("UpdateSnapshot")
    }

    func deleteSnapshot(
        request: Google_Pubsub_V1_DeleteSnapshotRequest,
        context: ServerContext
    ) async throws
        -> Google_Protobuf_Empty
    {
        throw UnbuiltRPC.error("DeleteSnapshot")
    }

    func seek(
        request: Google_Pubsub_V1_SeekRequest,
        context: ServerContext
    ) async throws
        -> Google_Pubsub_V1_SeekResponse
    {
        throw UnbuiltRPC.error("Seek")
    }
}
