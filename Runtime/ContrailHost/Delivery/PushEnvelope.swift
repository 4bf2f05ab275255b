import ContrailKit

/// The wrapped push body: `{"message":{...},"subscription":"...","deliveryAttempt":n}`.
///
/// Pub/Sub writes `messageId` and `publishTime` twice, camelCase and snake_case, and omits `data` and
/// `attributes` when empty; either spelling is accepted and both may be absent.
enum PushEnvelope {
    static func decode(_ envelope: JSONMembers) throws(DeliveryError) -> PubSubMessage {
        guard let body = try envelope.object("message") else { throw .missingField("message") }
        var message = try self.message(body)
        message.subscription = try envelope.string("subscription")
        message.deliveryAttempt = try envelope.count("deliveryAttempt", "delivery_attempt")
        return message
    }

    /// A `PubsubMessage` in the proto3 JSON mapping, as found in push bodies and in CloudEvent data.
    static func message(_ body: JSONMembers, fallbackID: String? = nil) throws(DeliveryError) -> PubSubMessage {
        let id = try body.string("messageId", "message_id") ?? fallbackID
        guard let id, !id.isEmpty else { throw .missingField(body.fieldName("messageId")) }
        let publishTimeText = try body.string("publishTime", "publish_time")
        let orderingKey = try body.string("orderingKey", "ordering_key")
        let dataText = try body.string("data")
        return PubSubMessage(
            id: id,
            data: try FieldDecoding.base64(dataText, field: body.fieldName("data")),
            attributes: try body.stringMap("attributes"),
            publishTime: try FieldDecoding.timestamp(publishTimeText, field: body.fieldName("publishTime")),
            orderingKey: orderingKey?.isEmpty == false ? orderingKey : nil
        )
    }
}
