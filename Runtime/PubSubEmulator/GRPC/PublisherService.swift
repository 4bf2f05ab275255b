import GRPCCore
import HTTPTypes
import PubSubProtocol
import SwiftProtobuf

/// `google.pubsub.v1.Publisher` over the emulator's state.
struct PublisherService: Google_Pubsub_V1_Publisher.SimpleServiceProtocol {
    let api: PubSubAPI

    func createTopic(request: Google_Pubsub_V1_Topic, context: ServerContext) async throws -> Google_Pubsub_V1_Topic {
        try GRPCResourceName.check(request.name, collection: "topics")
        return try await self.api.call(.put, request.name, body: request)
    }

    func updateTopic(
        request: Google_Pubsub_V1_UpdateTopicRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_Topic {
        try GRPCResourceName.check(request.topic.name, collection: "topics")
        return try await self.api.call(.patch, request.topic.name, body: request)
    }

    func publish(
        request: Google_Pubsub_V1_PublishRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_PublishResponse {
        try GRPCResourceName.check(request.topic, collection: "topics")
        return try await self.api.call(.post, request.topic, suffix: ":publish", body: request, pathFields: ["topic"])
    }

    func getTopic(request: Google_Pubsub_V1_GetTopicRequest, context: ServerContext) async throws
        -> Google_Pubsub_V1_Topic
    {
        try GRPCResourceName.check(request.topic, collection: "topics")
        return try await self.api.call(.get, request.topic)
    }

    func listTopics(
        request: Google_Pubsub_V1_ListTopicsRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_ListTopicsResponse {
        try GRPCResourceName.checkProject(request.project)
        return try await self.api.call(
            .get,
            request.project,
            suffix: "/topics",
            query: Self.page(request.pageSize, request.pageToken)
        )
    }

    func listTopicSubscriptions(
        request: Google_Pubsub_V1_ListTopicSubscriptionsRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_ListTopicSubscriptionsResponse {
        try GRPCResourceName.check(request.topic, collection: "topics")
        return try await self.api.call(
            .get,
            request.topic,
            suffix: "/subscriptions",
            query: Self.page(request.pageSize, request.pageToken)
        )
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
    ) async throws -> Google_Protobuf_Empty {
        try GRPCResourceName.check(request.topic, collection: "topics")
        return try await self.api.call(.delete, request.topic)
    }

    func detachSubscription(
        request: Google_Pubsub_V1_DetachSubscriptionRequest,
        context: ServerContext
    ) async throws -> Google_Pubsub_V1_DetachSubscriptionResponse {
        throw UnbuiltRPC.error("DetachSubscription")
    }

    /// A list request's paging, as REST carries it in the query.
    static func page(_ size: Int32, _ token: String) -> [String: String] {
        var query: [String: String] = [:]
        if size != 0 { query["pageSize"] = String(size) }
        if !token.isEmpty { query["pageToken"] = token }
        return query
    }
}
