import Foundation
import HTTPTypes
import PubSubProtocol
import SwiftProtobuf

/// The REST mapping of ``PubSubAPI``: the path names the resource, the body is the request message in proto3
/// JSON, and the answer is the response message in proto3 JSON or Google's error body.
extension PubSubAPI {
    func handle(method: HTTPRequest.Method, path: String, query: [String: String], body: Data) async -> (Int, Data) {
        do throws(PubSubError) {
            guard let route = try PubSubRoute(method: method, path: path) else {
                throw PubSubError(
                    code: 404,
                    status: "NOT_FOUND",
                    reason: "notFound",
                    message: "Method not found: \(method) \(path)."
                )
            }
            return (200, ProtoJSONBody.encode(try await self.perform(route, query: query, body: body)))
        } catch {
            return (error.code, error.json)
        }
    }

    private func perform(
        _ route: PubSubRoute,
        query: [String: String],
        body: Data
    ) async throws(PubSubError) -> any SwiftProtobuf.Message {
        switch route {
        case .createTopic(let project, let id):
            var topic = try ProtoJSONBody.decode(Topic.self, from: body)
            topic.name = ResourceName.topic(project: project, id: id)
            return try await self.createTopic(topic)
        case .getTopic(let project, let id):
            return try await self.getTopic(.with { $0.topic = ResourceName.topic(project: project, id: id) })
        case .deleteTopic(let project, let id):
            return try await self.deleteTopic(.with { $0.topic = ResourceName.topic(project: project, id: id) })
        case .updateTopic(let project, let id):
            var request = try ProtoJSONBody.decodeUpdate(Google_Pubsub_V1_UpdateTopicRequest.self, from: body)
            request.topic.name = ResourceName.topic(project: project, id: id)
            return try await self.updateTopic(request)
        case .listTopics(let project):
            let (size, token) = try Self.page(query)
            return try await self.listTopics(
                .with {
                    $0.project = "projects/\(project)"
                    $0.pageSize = size
                    $0.pageToken = token
                }
            )
        case .listTopicSubscriptions(let project, let id):
            return try await self.listTopicSubscriptions(
                .with { $0.topic = ResourceName.topic(project: project, id: id) }
            )
        case .publish(let project, let id):
            var request = try ProtoJSONBody.decode(Google_Pubsub_V1_PublishRequest.self, from: body)
            request.topic = ResourceName.topic(project: project, id: id)
            return try await self.publish(request)
        case .createSubscription(let project, let id):
            var subscription = try ProtoJSONBody.decode(Subscription.self, from: body)
            subscription.name = ResourceName.subscription(project: project, id: id)
            return try await self.createSubscription(subscription)
        case .getSubscription(let project, let id):
            let name = ResourceName.subscription(project: project, id: id)
            return try await self.getSubscription(.with { $0.subscription = name })
        case .deleteSubscription(let project, let id):
            let name = ResourceName.subscription(project: project, id: id)
            return try await self.deleteSubscription(.with { $0.subscription = name })
        case .updateSubscription(let project, let id):
            var request = try ProtoJSONBody.decodeUpdate(Google_Pubsub_V1_UpdateSubscriptionRequest.self, from: body)
            request.subscription.name = ResourceName.subscription(project: project, id: id)
            return try await self.updateSubscription(request)
        case .listSubscriptions(let project):
            let (size, token) = try Self.page(query)
            return try await self.listSubscriptions(
                .with {
                    $0.project = "projects/\(project)"
                    $0.pageSize = size
                    $0.pageToken = token
                }
            )
        case .pull(let project, let id):
            var request = try ProtoJSONBody.decode(Google_Pubsub_V1_PullRequest.self, from: body)
            request.subscription = ResourceName.subscription(project: project, id: id)
            return try await self.pull(request)
        case .acknowledge(let project, let id):
            var request = try ProtoJSONBody.decode(Google_Pubsub_V1_AcknowledgeRequest.self, from: body)
            request.subscription = ResourceName.subscription(project: project, id: id)
            return try await self.acknowledge(request)
        case .modifyAckDeadline(let project, let id):
            var request = try ProtoJSONBody.decode(Google_Pubsub_V1_ModifyAckDeadlineRequest.self, from: body)
            request.subscription = ResourceName.subscription(project: project, id: id)
            return try await self.modifyAckDeadline(request)
        case .modifyPushConfig(let project, let id):
            var request = try ProtoJSONBody.decode(Google_Pubsub_V1_ModifyPushConfigRequest.self, from: body)
            request.subscription = ResourceName.subscription(project: project, id: id)
            return try await self.modifyPushConfig(request)
        }
    }

    /// `pageSize` and `pageToken` from a list request's query.
    private static func page(_ query: [String: String]) throws(PubSubError) -> (Int32, String) {
        var size: Int32 = 0
        if let text = query["pageSize"] {
            guard let value = Int32(text) else { throw .invalid("Invalid value for pageSize: \(text).") }
            size = value
        }
        return (size, query["pageToken"] ?? "")
    }
}
