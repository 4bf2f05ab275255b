import Foundation

/// A message as a publisher sends it, already validated.
struct OutgoingMessage: Sendable {
    var data: Data
    var attributes: [String: String]
    var orderingKey: String
}

/// One message handed to a puller, with the ack id that settles it.
struct ReceivedMessage: Sendable {
    var ackId: String
    var messageId: String
    var data: Data
    var attributes: [String: String]
    var orderingKey: String
    var publishTimeMicros: Int64
    var deliveryAttempt: Int
    var reportsDeliveryAttempt: Bool
}
