import ContrailKit
import HTTPTypes

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An unwrapped (`noWrapper`) push: the body is the payload itself. With `writeMetadata`, Pub/Sub adds
/// `x-goog-pubsub-*` headers for the message's metadata and one header per attribute.
enum UnwrappedDelivery {
    static let metadataPrefix = "x-goog-pubsub-"

    /// Headers that the transport, Cloud Run or Pub/Sub itself add, and so are not message attributes.
    /// Header names are case-insensitive, so attribute keys arrive lowercased.
    static let transportHeaders: Set<String> = [
        "accept", "accept-encoding", "authorization", "connection", "content-length", "content-type", "expect",
        "forwarded", "from", "host", "te", "traceparent", "tracestate", "transfer-encoding", "upgrade",
        "user-agent", "via", "x-cloud-trace-context", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
        "x-forwarded-port", "x-request-id", "x-goog-pubsub-subscription-name", "x-goog-pubsub-message-id",
        "x-goog-pubsub-publish-time", "x-goog-pubsub-ordering-key", "cookie", "pragma", "cache-control",
    ]

    static func hasMetadata(_ fields: HTTPFields) -> Bool {
        fields.contains { $0.name.canonicalName.hasPrefix(metadataPrefix) }
    }

    static func decode(fields: HTTPFields, body: Data) throws(DeliveryError) -> PubSubMessage {
        func metadata(_ key: String) throws(DeliveryError) -> String? {
            guard let name = HTTPField.Name(metadataPrefix + key), let value = fields[name] else { return nil }
            try HeaderCheck.requireUTF8(value, name: name.canonicalName)
            return value.isEmpty ? nil : value
        }
        var attributes: [String: String] = [:]
        for field in fields where !self.isTransportHeader(field.name.canonicalName) {
            try HeaderCheck.requireUTF8(field.value, name: field.name.canonicalName)
            attributes[field.name.canonicalName] = field.value
        }
        return PubSubMessage(
            // Without writeMetadata Pub/Sub sends no id at all; a fresh one at least keeps each delivery distinct.
            id: try metadata("message-id") ?? UUID().uuidString,
            data: body,
            attributes: attributes,
            publishTime: try FieldDecoding.timestamp(metadata("publish-time"), field: metadataPrefix + "publish-time"),
            orderingKey: try metadata("ordering-key"),
            subscription: try metadata("subscription-name")
        )
    }

    private static func isTransportHeader(_ name: String) -> Bool {
        self.transportHeaders.contains(name) || name.hasPrefix("ce-") || name.hasPrefix(metadataPrefix)
            || name.hasPrefix("x-goog-") || name.hasPrefix("x-envoy-") || name.hasPrefix("x-cloud-")
    }
}
