import ContrailKit

/// A Cloud Functions (1st gen) background event for Pub/Sub, with its context nested under `context` or flat at
/// the top level, as in Google's functions framework conformance fixtures.
enum LegacyEventDelivery {
    static let eventTypes: Set<String> = [
        "google.pubsub.topic.publish",
        "providers/cloud.pubsub/eventTypes/topic.publish",
    ]

    static func matches(_ object: JSONMembers) -> Bool {
        object.has("context") || object.has("eventType") || object.has("eventId")
    }

    static func decode(_ event: JSONMembers) throws(DeliveryError) -> PubSubMessage {
        let context = try event.object("context") ?? event
        let eventType = try context.requiredString("eventType")
        guard eventTypes.contains(eventType) else { throw .unsupportedEventType(eventType) }
        let eventID = try context.requiredString("eventId")
        guard let data = try event.object("data") else { throw .missingField("data") }

        var message = try PushEnvelope.message(data, fallbackID: eventID)
        if message.publishTime == nil {
            message.publishTime = try FieldDecoding.timestamp(
                context.string("timestamp"),
                field: context.fieldName("timestamp")
            )
        }
        message.topic = try self.topic(in: context)
        return message
    }

    /// `resource` is the topic name itself, or an object whose `name` is.
    private static func topic(in context: JSONMembers) throws(DeliveryError) -> String? {
        if case .object = context.members["resource"] {
            return try context.object("resource")?.string("name")
        }
        return try context.string("resource")
    }
}
