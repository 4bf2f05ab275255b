import ContrailKit
import Foundation
import PubSubProtocol
import SwiftProtobuf

extension PubSubAPI {
    func pull(_ request: Google_Pubsub_V1_PullRequest) async throws(PubSubError) -> Google_Pubsub_V1_PullResponse {
        guard request.maxMessages > 0 else {
            throw .invalid("maxMessages must be greater than 0 (field: maxMessages).")
        }
        let subscription = try await self.existingSubscription(request.subscription)
        let messages = try await self.store.pull(
            subscription,
            limit: min(Int(request.maxMessages), 1000),
            nowMicros: self.clock.now().microsecondsSinceEpoch
        )
        var response = Google_Pubsub_V1_PullResponse()
        response.receivedMessages = messages.map(\.proto)
        return response
    }

    func acknowledge(_ request: Google_Pubsub_V1_AcknowledgeRequest) async throws(PubSubError) -> Google_Protobuf_Empty
    {
        _ = try ResourceName.parseSubscription(request.subscription, field: "subscription")
        try Self.checkAckIds(request.ackIds)
        try await self.store.acknowledge(subscription: request.subscription, ackIds: request.ackIds)
        return Google_Protobuf_Empty()
    }

    func modifyAckDeadline(
        _ request: Google_Pubsub_V1_ModifyAckDeadlineRequest
    ) async throws(PubSubError)
        -> Google_Protobuf_Empty
    {
        _ = try ResourceName.parseSubscription(request.subscription, field: "subscription")
        try Self.checkAckIds(request.ackIds)
        let seconds = Int(request.ackDeadlineSeconds)
        guard (0...600).contains(seconds) else {
            throw .invalid("Invalid ackDeadlineSeconds: \(seconds). It must be between 0 and 600 seconds.")
        }
        try await self.store.modifyAckDeadline(
            subscription: request.subscription,
            ackIds: request.ackIds,
            seconds: seconds,
            nowMicros: self.clock.now().microsecondsSinceEpoch
        )
        return Google_Protobuf_Empty()
    }

    private static func checkAckIds(_ ackIds: [String]) throws(PubSubError) {
        guard !ackIds.isEmpty else { throw .invalid("No ack ids were given (field: ackIds).") }
    }
}

extension ReceivedMessage {
    /// As a pull or a stream hands it out; `delivery_attempt` only when the subscription has a dead-letter policy.
    var proto: Google_Pubsub_V1_ReceivedMessage {
        var received = Google_Pubsub_V1_ReceivedMessage()
        received.ackID = self.ackId
        received.message.messageID = self.messageId
        received.message.data = self.data
        received.message.attributes = self.attributes
        received.message.orderingKey = self.orderingKey
        received.message.publishTime = Google_Protobuf_Timestamp(
            seconds: self.publishTimeMicros / 1_000_000,
            nanos: Int32(self.publishTimeMicros % 1_000_000) * 1_000
        )
        if self.reportsDeliveryAttempt { received.deliveryAttempt = Int32(self.deliveryAttempt) }
        return received
    }
}
