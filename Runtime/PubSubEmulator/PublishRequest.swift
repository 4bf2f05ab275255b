import Foundation

/// A validated `PublishRequest`: 1 to 1000 messages within Pub/Sub's per-message limits.
struct PublishRequest {
    static let maxMessages = 1000
    static let maxAttributes = 100
    static let maxAttributeKeyBytes = 256
    static let maxAttributeValueBytes = 1024
    static let maxOrderingKeyBytes = 1024

    let messages: [OutgoingMessage]

    init(_ body: JSONObject) throws(PubSubError) {
        try body.requireKnown(["messages"], at: nil)
        guard let list = body["messages"] as? [Any], !list.isEmpty else {
            throw .invalid("The request contains no messages (field: messages).")
        }
        guard list.count <= Self.maxMessages else {
            throw .invalid("The value for messages is too large: \(list.count) messages; the limit is \(Self.maxMessages).")
        }
        var messages: [OutgoingMessage] = []
        for (index, item) in list.enumerated() {
            messages.append(try Self.message(item, path: "messages[\(index)]"))
        }
        self.messages = messages
    }

    private static func message(_ value: Any, path: String) throws(PubSubError) -> OutgoingMessage {
        let object = try JSONObject(value, field: path)
        try object.requireKnown(["data", "attributes", "messageId", "publishTime", "orderingKey"], at: path)
        var data = Data()
        if let text = try ProtoJSON.string(object["data"], field: "\(path).data") {
            guard let decoded = Base64.decode(text) else {
                throw .invalid("Invalid value at '\(path).data' (TYPE_BYTES): \"\(text)\" is not valid base64.")
            }
            data = decoded
        }
        let attributes = try Self.attributes(object["attributes"], path: "\(path).attributes")
        guard !data.isEmpty || !attributes.isEmpty else {
            throw .invalid("Some messages contain neither data nor attributes (field: \(path)). Each message needs data or at least one attribute.")
        }
        let orderingKey = try ProtoJSON.string(object["orderingKey"], field: "\(path).orderingKey") ?? ""
        guard orderingKey.utf8.count <= Self.maxOrderingKeyBytes else {
            throw .invalid("The value for \(path).orderingKey is too long: the limit is \(Self.maxOrderingKeyBytes) bytes.")
        }
        return OutgoingMessage(data: data, attributes: attributes, orderingKey: orderingKey)
    }

    private static func attributes(_ value: Any?, path: String) throws(PubSubError) -> [String: String] {
        let object = try JSONObject(value, field: path)
        guard object.fields.count <= Self.maxAttributes else {
            throw .invalid("Too many attributes in \(path): \(object.fields.count); the limit is \(Self.maxAttributes).")
        }
        var attributes: [String: String] = [:]
        for key in object.fields.keys.sorted() {
            guard let text = object.fields[key] as? String else {
                throw .invalid("Invalid value at '\(path)[\(key)]' (TYPE_STRING).")
            }
            guard !key.isEmpty, key.utf8.count <= Self.maxAttributeKeyBytes else {
                throw .invalid("Invalid attribute key in \(path): keys must be 1 to \(Self.maxAttributeKeyBytes) bytes.")
            }
            guard text.utf8.count <= Self.maxAttributeValueBytes else {
                throw .invalid("The value of \(path)[\(key)] is too long: the limit is \(Self.maxAttributeValueBytes) bytes.")
            }
            attributes[key] = text
        }
        return attributes
    }
}
