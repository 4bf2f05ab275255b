import ContrailKit

/// The wrapped push body: `{"message":{...},"subscription":"...","deliveryAttempt":n}`.
///
/// Pub/Sub writes `messageId` and `publishTime` twice, camelCase and snake_case, and omits `data` and
/// `attributes` when empty; either spelling is accepted and both may be absent.
enum PushEnvelope {
    /// The members of a `PubsubMessage` as sent, before their values are checked.
    struct MessageFields {
        var id: String?
        var publishTime: String?
        var orderingKey: String?
        var data: String?
        var attributes: [String: String]
    }

    static func decode(_ envelope: JSONObject) throws(DeliveryError) -> PubSubMessage {
        guard let body = try envelope.object("message") else { throw .missingField("message") }
        var message = try self.message(body)
        message.subscription = try envelope.string("subscription")
        message.deliveryAttempt = try envelope.count("deliveryAttempt", "delivery_attempt")
        return message
    }

    /// A `PubsubMessage` in the proto3 JSON mapping, as found in push bodies and in CloudEvent data.
    static func message(_ body: JSONObject, fallbackID: String? = nil) throws(DeliveryError) -> PubSubMessage {
        let fields = MessageFields(
            id: try body.string("messageId", "message_id"),
            publishTime: try body.string("publishTime", "publish_time"),
            orderingKey: try body.string("orderingKey", "ordering_key"),
            data: try body.string("data"),
            attributes: try body.stringMap("attributes")
        )
        return try self.message(fields, at: body.path, fallbackID: fallbackID)
    }

    /// Checks the values: an id present, the payload base64, the publish time RFC 3339.
    /// - Parameter path: where the message sits in the body, for error messages.
    static func message(_ fields: MessageFields, at path: String, fallbackID: String? = nil) throws(DeliveryError) -> PubSubMessage {
        func fieldName(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        guard let id = fields.id ?? fallbackID, !id.isEmpty else { throw .missingField(fieldName("messageId")) }
        return PubSubMessage(
            id: id,
            data: try FieldDecoding.base64(fields.data, field: fieldName("data")),
            attributes: fields.attributes,
            publishTime: try FieldDecoding.timestamp(fields.publishTime, field: fieldName("publishTime")),
            orderingKey: fields.orderingKey?.isEmpty == false ? fields.orderingKey : nil
        )
    }
}
