import ContrailKit

/// Why a request is not a Pub/Sub delivery in any accepted form. Each case reads as advice to the sender.
public enum DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidJSON(String)
    case notADelivery
    /// The function's trigger declares the wrapped push body, and this body is not one.
    case notAPushEnvelope
    case missingField(String)
    case wrongType(field: String, expected: String, found: String)
    case invalidBase64(field: String)
    case invalidTimestamp(field: String, value: String)
    case unsupportedEventType(String)
    case invalidHeader(String)

    public var description: String {
        switch self {
        case .invalidJSON(let detail):
            "the body is not valid JSON (\(detail)); a Pub/Sub push body is {\"message\":{...},\"subscription\":\"...\"}"
        case .notAPushEnvelope:
            "the body is not a Pub/Sub push envelope ({\"message\":{…},\"subscription\":\"…\"}), the form this "
                + "function's push subscription declares"
        case .notADelivery:
            "the body is not a Pub/Sub delivery: expected a push body with a 'message' object, a CloudEvent of type "
                + "\(CloudEventDelivery.messagePublishedType), or a legacy Pub/Sub event"
        case .missingField(let field):
            "required field '\(field)' is missing or empty"
        case .wrongType(let field, let expected, let found):
            "field '\(field)' must be \(expected), found \(found)"
        case .invalidBase64(let field):
            "field '\(field)' is not valid standard base64"
        case .invalidTimestamp(let field, let value):
            "field '\(field)' is not an RFC 3339 timestamp: '\(value)'"
        case .unsupportedEventType(let type):
            "CloudEvent type '\(type)' is not supported; expected \(CloudEventDelivery.messagePublishedType)"
        case .invalidHeader(let name):
            "header '\(name)' is not valid UTF-8"
        }
    }

    var functionError: FunctionError { FunctionError(.badRequest, self.description) }
}
