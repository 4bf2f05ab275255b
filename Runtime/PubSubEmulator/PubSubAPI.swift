import Foundation
import HTTPTypes

/// The Pub/Sub v1 REST operations over a store, free of any HTTP server.
struct PubSubAPI: Sendable {
    static let defaultPageSize = 100
    static let maxPageSize = 1000

    let store: PubSubStore
    let clock: PubSubClock
    let configuration: PubSubEmulator.Configuration

    /// Answers one request with a status and a JSON object (Google's error shape on failure).
    func handle(method: HTTPRequest.Method, path: String, query: [String: String], body: Data) async -> (Int, Data) {
        let found: PubSubRoute?
        do {
            found = try PubSubRoute(method: method, path: path)
        } catch {
            return (error.code, JSONObject.encode(error.body))
        }
        guard let route = found else {
            let error = PubSubError(code: 404, status: "NOT_FOUND", reason: "notFound", message: "Method not found: \(method) \(path).")
            return (404, JSONObject.encode(error.body))
        }
        do {
            let object = try JSONObject(body: body)
            return (200, JSONObject.encode(try await self.perform(route, query: query, body: object)))
        } catch {
            return (error.code, JSONObject.encode(error.body))
        }
    }

    private func perform(_ route: PubSubRoute, query: [String: String], body: JSONObject) async throws(PubSubError) -> [String: Any] {
        switch route {
        case .createTopic(let project, let topic): return try await self.createTopic(project: project, id: topic, body: body)
        case .getTopic(let project, let topic): return try await self.getTopic(project: project, id: topic)
        case .deleteTopic(let project, let topic): return try await self.deleteTopic(project: project, id: topic)
        case .updateTopic(let project, let topic): return try await self.updateTopic(project: project, id: topic, body: body)
        case .listTopics(let project): return try await self.listTopics(project: project, query: query)
        case .listTopicSubscriptions(let project, let topic):
            return try await self.listTopicSubscriptions(project: project, id: topic)
        case .publish(let project, let topic): return try await self.publish(project: project, id: topic, body: body)
        case .createSubscription(let project, let id): return try await self.createSubscription(project: project, id: id, body: body)
        case .getSubscription(let project, let id): return try await self.getSubscription(project: project, id: id)
        case .deleteSubscription(let project, let id): return try await self.deleteSubscription(project: project, id: id)
        case .updateSubscription(let project, let id):
            return try await self.updateSubscription(project: project, id: id, body: body)
        case .listSubscriptions(let project): return try await self.listSubscriptions(project: project, query: query)
        case .pull(let project, let id): return try await self.pull(project: project, id: id, body: body)
        case .acknowledge(let project, let id): return try await self.acknowledge(project: project, id: id, body: body)
        case .modifyAckDeadline(let project, let id): return try await self.modifyAckDeadline(project: project, id: id, body: body)
        case .modifyPushConfig(let project, let id): return try await self.modifyPushConfig(project: project, id: id, body: body)
        }
    }

    /// Reads `pageSize` (default 100, at most 1000) and the opaque `pageToken` (the last name returned).
    static func page(_ query: [String: String]) throws(PubSubError) -> (size: Int, after: String?) {
        var size = Self.defaultPageSize
        if let text = query["pageSize"] {
            guard let value = Int(text), value >= 0 else { throw .invalid("Invalid value for pageSize: \(text).") }
            size = value == 0 ? Self.defaultPageSize : min(value, Self.maxPageSize)
        }
        let token = query["pageToken"].flatMap { $0.isEmpty ? nil : Base64.decode($0) }.map { String(decoding: $0, as: UTF8.self) }
        return (size, token)
    }

    /// URL-safe base64 of the last name returned, so the token survives a query string unescaped.
    static func pageToken(after name: String) -> String {
        Data(name.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
