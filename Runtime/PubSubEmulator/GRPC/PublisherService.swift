import GRPCCore
import PubSubProtocol
import SwiftProtobuf

/// `google.pubsub.v1.Publisher` over the emulator's state.
struct PublisherService: Google_Pubsub_V1_Publisher.SimpleServiceProtocol {
    let api: PubSubAPI

    func createTopic(request: Topic, context: ServerContext) async throws -> Topic {
        try await answering { () async throws(PubSubError) in try await self.api.createTopic(request) }
    }

    func updateTopic(request: Google_Pubsub_V1_UpdateTopicRequest, context: ServerContext) async throws -> Topic {
        try await answering { () async throws(PubSubError) in try await self.api.updateTopic(request) }
    }

    func publish(
        request: Google_Pubsub_V1_PublishRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_PublishResponse {
        try await answering { () async throws(PubSubError) in try await self.api.publish(request) }
    }

    func getTopic(request: Google_Pubsub_V1_GetTopicRequest, context: ServerContext) async throws -> Topic {
        try await answering { () async throws(PubSubError) in try await self.api.getTopic(request) }
    }

    func listTopics(
        request: Google_Pubsub_V1_ListTopicsRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_ListTopicsResponse {
        try await answering { () async throws(PubSubError) in try await self.api.listTopics(request) }
    }

    func listTopicSubscriptions(
        request: Google_Pubsub_V1_ListTopicSubscriptionsRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_ListTopicSubscriptionsResponse {
        try await answering { () async throws(PubSubError) in try await self.api.listTopicSubscriptions(request) }
    }

    func listTopicSnapshots(
        request: Google_Pubsub_V1_ListTopicSnapshotsRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_ListTopicSnapshotsResponse {
        throw UnbuiltRPC.error("ListTopicSnapshots")
    }

    func deleteTopic(
        request: Google_Pubsub_V1_DeleteTopicRequest,
        context: ServerContext
    ) async throws
        -> Google_Protobuf_Empty
    {
        try await answering { () async throws(PubSubError) in try await self.api.deleteTopic(request) }
    }

    func detachSubscription(
        request: Google_Pubsub_V1_DetachSubscriptionRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_DetachSubscriptionResponse {
        throw UnbuiltRPC.error("DetachSubscription")
    }
}
