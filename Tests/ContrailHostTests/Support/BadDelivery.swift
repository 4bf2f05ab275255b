import ContrailHost
import HTTPTypes
import Testing

/// One request that is not a Pub/Sub delivery, and the error that must say why.
struct BadDelivery: Sendable, CustomTestStringConvertible {
    let problem: String
    let body: String
    let fields: HTTPFields
    let expected: DeliveryError
    /// What the error's description must name for the sender to find the problem.
    let names: String

    var testDescription: String { self.problem }

    static let messagePublished = "google.cloud.pubsub.topic.v1.messagePublished"
    static let cloudEventBody = #"{"message":{"data":"aGk="}}"#
    static let cloudEventFields = HTTPFields([
        DeliveryRequest.field("ce-specversion", "1.0"),
        DeliveryRequest.field("ce-type", messagePublished),
        DeliveryRequest.field("ce-source", "//pubsub.googleapis.com/projects/p/topics/t"),
        DeliveryRequest.field("ce-id", "1"),
        HTTPField(name: .contentType, value: "application/json"),
    ])

    /// A body sent as `application/json`.
    static func json(_ problem: String, _ body: String, _ expected: DeliveryError, naming names: String) -> Self {
        Self(problem: problem, body: body, fields: [.contentType: "application/json"], expected: expected, names: names)
    }

    /// A structured-mode CloudEvent; `nil` leaves a member out.
    static func structured(
        _ problem: String,
        specversion: String? = "1.0",
        type: String? = messagePublished,
        id: String? = "1",
        data: String? = cloudEventBody,
        _ expected: DeliveryError,
        naming names: String
    ) -> Self {
        var members = [#""source":"//pubsub.googleapis.com/projects/p/topics/t""#]
        if let specversion { members.append(#""specversion":"\#(specversion)""#) }
        if let type { members.append(#""type":"\#(type)""#) }
        if let id { members.append(#""id":"\#(id)""#) }
        if let data { members.append(#""data":\#(data)"#) }
        let body = "{" + members.joined(separator: ",") + "}"
        let fields: HTTPFields = [.contentType: "application/cloudevents+json"]
        return Self(problem: problem, body: body, fields: fields, expected: expected, names: names)
    }

    /// A binary-mode CloudEvent whose header `name` is removed, or replaced by `replacement`.
    static func binary(
        _ problem: String,
        changing name: String? = nil,
        to replacement: HTTPField? = nil,
        body: String = cloudEventBody,
        _ expected: DeliveryError,
        naming names: String
    ) -> Self {
        var fields = cloudEventFields
        if let name { fields[HTTPField.Name(name)!] = nil }
        if let replacement { fields.append(replacement) }
        return Self(problem: problem, body: body, fields: fields, expected: expected, names: names)
    }

    /// An unwrapped push with a message id header and `field`.
    static func unwrapped(
        _ problem: String,
        with field: HTTPField,
        _ expected: DeliveryError,
        naming names: String
    ) -> Self {
        let fields = HTTPFields([DeliveryRequest.field("x-goog-pubsub-message-id", "1"), field])
        return Self(problem: problem, body: "payload", fields: fields, expected: expected, names: names)
    }
}
