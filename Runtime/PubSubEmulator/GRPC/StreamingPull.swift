import ContrailKit
import Foundation
import GRPCCore
import PubSubProtocol
import SwiftProtobuf
import Synchronization

/// One StreamingPull stream, to Pub/Sub's rules: the first request names the subscription, the stream's ack
/// deadline and its flow control; every request may carry acks and deadline changes (Go and Java clients send them
/// on the stream; Python sends them as unary calls, which settle the same leases). Messages go out while the
/// stream's leased messages stay within `max_outstanding_messages` and `max_outstanding_bytes`; a stream that closes
/// leaves its leases to expire, after which other streams get those messages.
struct StreamingPull {
    /// How often an idle stream looks for new messages.
    static let pollInterval: Duration = .milliseconds(50)
    static let largestBatch = 1_000

    let api: PubSubAPI

    func serve(
        _ requests: RPCAsyncSequence<Google_Pubsub_V1_StreamingPullRequest, any Error>,
        _ responses: RPCWriter<Google_Pubsub_V1_StreamingPullResponse>
    ) async throws {
        let (opened, announce) = AsyncStream.makeStream(of: StreamLeases.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { announce.finish() }
                var leases: StreamLeases?
                for try await request in requests {
                    if let leases {
                        try await self.settle(request, leases: leases)
                    } else {
                        let opening = try await self.open(request)
                        leases = opening
                        try await self.settle(request, leases: opening)
                        announce.yield(opening)
                    }
                }
            }
            group.addTask {
                for await leases in opened {
                    try await self.deliver(leases, to: responses)
                }
            }
            // The client closing its side ends the stream; so does any failure. Every child is awaited, so that a
            // refusal of the first request is the stream's status even when delivery happens to end first.
            for try await _ in group { group.cancelAll() }
        }
    }

    private func open(_ request: Google_Pubsub_V1_StreamingPullRequest) async throws -> StreamLeases {
        let name = request.subscription
        guard !name.isEmpty else {
            throw RPCError(
                code: .invalidArgument,
                message: "The first request of a stream must name the subscription (field: subscription)."
            )
        }
        let deadline = Int(request.streamAckDeadlineSeconds)
        guard (10...600).contains(deadline) else {
            throw RPCError(
                code: .invalidArgument,
                message: "Invalid stream_ack_deadline_seconds: \(deadline). It must be between 10 and 600 seconds."
            )
        }
        let subscription = try await answering { () async throws(PubSubError) in
            try await self.api.existingSubscription(name)
        }
        if subscription.enableExactlyOnceDelivery {
            throw RPCError(
                code: .failedPrecondition,
                message: "Exactly-once delivery is not supported by the local Pub/Sub service yet, so \(name) "
                    + "cannot be pulled over a stream."
            )
        }
        return StreamLeases(
            subscription: subscription,
            ackDeadlineSeconds: deadline,
            maxMessages: Int(request.maxOutstandingMessages),
            maxBytes: Int(request.maxOutstandingBytes)
        )
    }

    /// Acks and deadline changes carried on the stream, and a new stream ack deadline.
    private func settle(_ request: Google_Pubsub_V1_StreamingPullRequest, leases: StreamLeases) async throws {
        if request.streamAckDeadlineSeconds != 0 {
            let seconds = Int(request.streamAckDeadlineSeconds)
            guard (10...600).contains(seconds) else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "Invalid stream_ack_deadline_seconds: \(seconds). It must be between 10 and 600 seconds."
                )
            }
            leases.setAckDeadline(seconds)
        }
        guard request.modifyDeadlineAckIds.count == request.modifyDeadlineSeconds.count else {
            throw RPCError(
                code: .invalidArgument,
                message: "modify_deadline_ack_ids and modify_deadline_seconds must have the same length."
            )
        }
        let name = leases.subscription.name
        if !request.ackIds.isEmpty {
            try await answering { () async throws(PubSubError) in
                try await self.api.store.acknowledge(subscription: name, ackIds: request.ackIds)
            }
        }
        let now = self.api.clock.now().microsecondsSinceEpoch
        for (ackId, seconds) in zip(request.modifyDeadlineAckIds, request.modifyDeadlineSeconds) {
            guard (0...600).contains(seconds) else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "Invalid modify_deadline_seconds: \(seconds). It must be between 0 and 600 seconds."
                )
            }
            try await answering { () async throws(PubSubError) in
                try await self.api.store.modifyAckDeadline(
                    subscription: name,
                    ackIds: [ackId],
                    seconds: Int(seconds),
                    nowMicros: now
                )
            }
        }
    }

    private func deliver(
        _ leases: StreamLeases,
        to responses: RPCWriter<Google_Pubsub_V1_StreamingPullResponse>
    ) async throws {
        let name = leases.subscription.name
        while !Task.isCancelled {
            let now = self.api.clock.now().microsecondsSinceEpoch
            let held = leases.ackIds
            let stillLeased = try await answering { () async throws(PubSubError) in
                try await self.api.store.leased(subscription: name, ackIds: held, nowMicros: now)
            }
            let room = leases.keepOnly(stillLeased)
            if room.messages > 0, room.bytes > 0 {
                let deadline = leases.ackDeadlineSeconds
                let pulled = try await answering { () async throws(PubSubError) in
                    try await self.api.store.pull(
                        leases.subscription,
                        limit: min(room.messages, Self.largestBatch),
                        nowMicros: now,
                        ackDeadlineSeconds: deadline
                    )
                }
                let (sent, returned) = Self.split(pulled, withinBytes: room.bytes)
                if !returned.isEmpty {
                    // Leased beyond the stream's bytes: back to the subscription at once, as a nack would.
                    let ackIds = returned.map(\.ackId)
                    try await answering { () async throws(PubSubError) in
                        try await self.api.store.modifyAckDeadline(
                            subscription: name,
                            ackIds: ackIds,
                            seconds: 0,
                            nowMicros: now
                        )
                    }
                }
                if !sent.isEmpty {
                    leases.add(sent)
                    try await responses.write(Self.response(sent, ordered: leases.subscription.enableMessageOrdering))
                    continue
                }
            }
            try await Task.sleep(for: Self.pollInterval)
        }
    }

    /// The messages that fit in `bytes`, and always the first, as Pub/Sub sends one message larger than the limit.
    private static func split(
        _ messages: [ReceivedMessage],
        withinBytes bytes: Int
    ) -> (sent: [ReceivedMessage], returned: [ReceivedMessage]) {
        var total = 0
        var count = 0
        for message in messages {
            guard count == 0 || total + message.data.count <= bytes else { break }
            total += message.data.count
            count += 1
        }
        return (Array(messages.prefix(count)), Array(messages.dropFirst(count)))
    }

    private static func response(_ messages: [ReceivedMessage], ordered: Bool) -> Google_Pubsub_V1_StreamingPullResponse
    {
        var response = Google_Pubsub_V1_StreamingPullResponse()
        response.receivedMessages = messages.map(\.proto)
        response.subscriptionProperties.messageOrderingEnabled = ordered
        return response
    }
}
