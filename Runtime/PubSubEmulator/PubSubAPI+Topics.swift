import ContrailKit
import Foundation
import PubSubProtocol
import SwiftProtobuf

extension PubSubAPI {
    static let updatableTopicFields: Set<String> = [
        "labels", "message_storage_policy", "kms_key_name", "schema_settings", "message_retention_duration",
        "ingestion_data_source_settings", "message_transforms",
    ]

    func createTopic(_ topic: Topic) async throws(PubSubError) -> Topic {
        let (project, _) = try ResourceName.parseTopic(topic.name, field: "name")
        try await self.store.createTopic(topic, project: project)
        return topic
    }

    func getTopic(_ request: Google_Pubsub_V1_GetTopicRequest) async throws(PubSubError) -> Topic {
        try await self.existingTopic(request.topic)
    }

    /// The fields the mask names take their values from the request's topic; absent means cleared.
    func updateTopic(_ request: Google_Pubsub_V1_UpdateTopicRequest) async throws(PubSubError) -> Topic {
        let mask = try UpdateMask(
            request.updateMask,
            request: "UpdateTopicRequest",
            resource: "Topic",
            updatable: Self.updatableTopicFields
        )
        let current = try await self.existingTopic(request.topic.name)
        let updated = try mask.apply(request.topic, to: current)
        try await self.store.replaceTopic(updated)
        return updated
    }

    func deleteTopic(_ request: Google_Pubsub_V1_DeleteTopicRequest) async throws(PubSubError) -> Google_Protobuf_Empty
    {
        _ = try ResourceName.parseTopic(request.topic, field: "topic")
        try await self.store.deleteTopic(name: request.topic)
        return Google_Protobuf_Empty()
    }

    func listTopics(
        _ request: Google_Pubsub_V1_ListTopicsRequest
    ) async throws(PubSubError)
        -> Google_Pubsub_V1_ListTopicsResponse
    {
        let project = try ResourceName.parseProject(request.project, field: "project")
        let page = try Self.page(size: request.pageSize, token: request.pageToken)
        let topics = try await self.store.topics(project: project, after: page.after, limit: page.size + 1)
        var response = Google_Pubsub_V1_ListTopicsResponse()
        (response.topics, response.nextPageToken) = Self.page(of: topics, size: page.size, name: \.name)
        return response
    }

    func listTopicSubscriptions(
        _ request: Google_Pubsub_V1_ListTopicSubscriptionsRequest
    ) async throws(PubSubError)
        -> Google_Pubsub_V1_ListTopicSubscriptionsResponse
    {
        _ = try ResourceName.parseTopic(request.topic, field: "topic")
        guard let names = try await self.store.topicSubscriptions(topic: request.topic) else {
            throw .notFound(request.topic)
        }
        var response = Google_Pubsub_V1_ListTopicSubscriptionsResponse()
        response.subscriptions = names
        return response
    }

    func publish(
        _ request: Google_Pubsub_V1_PublishRequest
    ) async throws(PubSubError)
        -> Google_Pubsub_V1_PublishResponse
    {
        _ = try ResourceName.parseTopic(request.topic, field: "topic")
        let messages = try PublishValidation.messages(of: request)
        var response = Google_Pubsub_V1_PublishResponse()
        response.messageIds = try await self.store.publish(
            topic: request.topic,
            messages: messages,
            nowMicros: self.clock.now().microsecondsSinceEpoch
        )
        return response
    }

    private func existingTopic(_ name: String) async throws(PubSubError) -> Topic {
        _ = try ResourceName.parseTopic(name, field: "topic")
        guard let topic = try await self.store.topic(name: name) else { throw .notFound(name) }
        return topic
    }
}
