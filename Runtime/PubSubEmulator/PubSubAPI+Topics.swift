import Foundation

extension PubSubAPI {
    static let topicFields: Set<String> = [
        "name", "labels", "messageStoragePolicy", "kmsKeyName", "schemaSettings", "satisfiesPzs",
        "messageRetentionDuration", "state", "ingestionDataSourceSettings", "messageTransforms",
    ]

    func createTopic(project: String, id: String, body: JSONObject) async throws(PubSubError) -> [String: Any] {
        try body.requireKnown(Self.topicFields, at: nil)
        var config = body.fields.filter { !($0.value is NSNull) }
        config["name"] = nil
        let name = ResourceName.topic(project: project, id: id)
        try await self.store.createTopic(name: name, project: project, config: JSONObject.encode(config))
        config["name"] = name
        return config
    }

    func getTopic(project: String, id: String) async throws(PubSubError) -> [String: Any] {
        let name = ResourceName.topic(project: project, id: id)
        guard let config = try await self.store.topicConfig(name: name) else { throw .notFound(name) }
        var object = JSONObject.decode(config)
        object["name"] = name
        return object
    }

    func deleteTopic(project: String, id: String) async throws(PubSubError) -> [String: Any] {
        try await self.store.deleteTopic(name: ResourceName.topic(project: project, id: id))
        return [:]
    }

    func listTopics(project: String, query: [String: String]) async throws(PubSubError) -> [String: Any] {
        let page = try Self.page(query)
        let rows = try await self.store.topics(project: project, after: page.after, limit: page.size + 1)
        var result: [String: Any] = [:]
        let shown = rows.prefix(page.size)
        if !shown.isEmpty {
            result["topics"] = shown.map { row -> [String: Any] in
                var object = JSONObject.decode(row.config)
                object["name"] = row.name
                return object
            }
        }
        if rows.count > page.size, let last = shown.last { result["nextPageToken"] = Self.pageToken(after: last.name) }
        return result
    }

    func listTopicSubscriptions(project: String, id: String) async throws(PubSubError) -> [String: Any] {
        let name = ResourceName.topic(project: project, id: id)
        guard let names = try await self.store.topicSubscriptions(topic: name) else { throw .notFound(name) }
        return names.isEmpty ? [:] : ["subscriptions": names]
    }

    func publish(project: String, id: String, body: JSONObject) async throws(PubSubError) -> [String: Any] {
        let request = try PublishRequest(body)
        let ids = try await self.store.publish(
            topic: ResourceName.topic(project: project, id: id), messages: request.messages, nowMicros: self.clock.micros
        )
        return ["messageIds": ids]
    }
}

extension PubSubAPI {
    static let updatableTopicFields: Set<String> = [
        "labels", "messageStoragePolicy", "kmsKeyName", "schemaSettings", "messageRetentionDuration",
        "ingestionDataSourceSettings", "messageTransforms",
    ]

    /// UpdateTopic: the fields the mask names take their values from the body; absent means cleared.
    func updateTopic(project: String, id: String, body: JSONObject) async throws(PubSubError) -> [String: Any] {
        try body.requireKnown(["topic", "updateMask"], at: nil)
        let patch = try JSONObject(body["topic"], field: "topic")
        let mask = try UpdateMask(body["updateMask"], request: "UpdateTopicRequest", resource: "Topic", updatable: Self.updatableTopicFields)
        try patch.requireKnown(Self.topicFields, at: "topic")
        let name = ResourceName.topic(project: project, id: id)
        guard let stored = try await self.store.topicConfig(name: name) else { throw .notFound(name) }
        var config = JSONObject.decode(stored)
        for field in mask.fields { config[field] = patch[field] }
        try await self.store.updateTopicConfig(name: name, config: JSONObject.encode(config))
        config["name"] = name
        return config
    }
}
