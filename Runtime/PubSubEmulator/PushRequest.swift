import ContrailKit
import Foundation

/// The HTTP request Pub/Sub sends to a push endpoint for one message.
struct PushRequest: Sendable {
    static let userAgent = "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)"

    var headers: [(String, String)]
    var body: Data

    /// - Parameter token: the OIDC token to send as `Authorization: Bearer`, when the subscription asks for one.
    init(message: ReceivedMessage, settings: PushSettings, token: String? = nil) {
        self.init(message: message, settings: settings)
        if let token { self.headers.append(("Authorization", "Bearer \(token)")) }
    }

    private init(message: ReceivedMessage, settings: PushSettings) {
        if settings.noWrapper {
            self.body = message.data
            var headers = [("User-Agent", Self.userAgent)]
            if settings.writeMetadata {
                headers.append(("x-goog-pubsub-subscription-name", settings.name))
                headers.append(("x-goog-pubsub-message-id", message.messageId))
                headers.append(
                    ("x-goog-pubsub-publish-time", Timestamp(microsecondsSinceEpoch: message.publishTimeMicros).rfc3339)
                )
                if !message.orderingKey.isEmpty {
                    headers.append(("x-goog-pubsub-ordering-key", message.orderingKey))
                }
                for (key, value) in message.attributes.sorted(by: { $0.key < $1.key }) where Self.isHeaderName(key) {
                    headers.append((key, value))
                }
            }
            self.headers = headers
            return
        }
        self.body = PushBody(
            messageId: message.messageId,
            data: message.data,
            attributes: message.attributes,
            publishTime: Timestamp(microsecondsSinceEpoch: message.publishTimeMicros).rfc3339,
            orderingKey: message.orderingKey,
            subscription: settings.name,
            deliveryAttempt: message.reportsDeliveryAttempt ? message.deliveryAttempt : nil
        ).encoded()
        self.headers = [("Content-Type", "application/json"), ("User-Agent", Self.userAgent)]
    }

    /// An attribute key that is not an HTTP token (RFC 9110) cannot become a header; it is left out.
    static func isHeaderName(_ key: String) -> Bool {
        !key.isEmpty
            && key.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
    }

    /// Push acknowledges only on these statuses; anything else is a nack.
    static func isAck(status: Int) -> Bool { [102, 200, 201, 202, 204].contains(status) }
}
