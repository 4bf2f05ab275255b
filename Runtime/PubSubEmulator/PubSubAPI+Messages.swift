import Foundation

extension PubSubAPI {
    func pull(project: String, id: String, body: JSONObject) async throws(PubSubError) -> [String: Any] {
        try body.requireKnown(["maxMessages", "returnImmediately"], at: nil)
        _ = try ProtoJSON.bool(body["returnImmediately"], field: "returnImmediately")
        guard let limit = try ProtoJSON.int(body["maxMessages"], field: "maxMessages"), limit > 0 else {
            throw .invalid("maxMessages must be greater than 0 (field: maxMessages).")
        }
        let messages = try await self.store.pull(
            subscription: ResourceName.subscription(project: project, id: id), limit: min(limit, 1000),
            nowMicros: self.clock.micros
        )
        guard !messages.isEmpty else { return [:] }
        return ["receivedMessages": messages.map(Self.render)]
    }

    func acknowledge(project: String, id: String, body: JSONObject) async throws(PubSubError) -> [String: Any] {
        try body.requireKnown(["ackIds"], at: nil)
        let ackIds = try Self.ackIds(body)
        try await self.store.acknowledge(subscription: ResourceName.subscription(project: project, id: id), ackIds: ackIds)
        return [:]
    }

    func modifyAckDeadline(project: String, id: String, body: JSONObject) async throws(PubSubError) -> [String: Any] {
        try body.requireKnown(["ackIds", "ackDeadlineSeconds"], at: nil)
        let ackIds = try Self.ackIds(body)
        let seconds = try ProtoJSON.int(body["ackDeadlineSeconds"], field: "ackDeadlineSeconds") ?? 0
        guard (0...600).contains(seconds) else {
            throw .invalid("Invalid ackDeadlineSeconds: \(seconds). It must be between 0 and 600 seconds.")
        }
        try await self.store.modifyAckDeadline(
            subscription: ResourceName.subscription(project: project, id: id), ackIds: ackIds, seconds: seconds,
            nowMicros: self.clock.micros
        )
        return [:]
    }

    private static func ackIds(_ body: JSONObject) throws(PubSubError) -> [String] {
        guard let list = body["ackIds"] as? [Any], !list.isEmpty else {
            throw .invalid("No ack ids were given (field: ackIds).")
        }
        var ids: [String] = []
        for item in list {
            guard let id = item as? String else { throw .invalid("Invalid value at 'ackIds' (TYPE_STRING).") }
            ids.append(id)
        }
        return ids
    }

    private static func render(_ message: ReceivedMessage) -> [String: Any] {
        var payload: [String: Any] = [
            "messageId": message.messageId,
            "publishTime": ProtoJSON.timestamp(micros: message.publishTimeMicros),
        ]
        if !message.data.isEmpty { payload["data"] = message.data.base64EncodedString() }
        if !message.attributes.isEmpty { payload["attributes"] = message.attributes }
        if !message.orderingKey.isEmpty { payload["orderingKey"] = message.orderingKey }
        var received: [String: Any] = ["ackId": message.ackId, "message": payload]
        if message.reportsDeliveryAttempt { received["deliveryAttempt"] = message.deliveryAttempt }
        return received
    }
}
