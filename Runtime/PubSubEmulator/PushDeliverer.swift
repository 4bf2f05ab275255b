public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Delivers messages of push subscriptions to their `pushConfig.pushEndpoint`.
///
/// `deliverDue()` is one step: lease what is due on every push subscription (within its concurrency window and
/// outside its push backoff), POST each message, then ack, nack with backoff, or dead-letter. `run()` repeats the
/// step on a timer; tests call `deliverDue()` directly against a manual clock.
public actor PushDeliverer {
    static let initialWindow = 4
    static let maximumWindow = 256
    static let initialPushBackoff = 0.1
    static let maximumPushBackoff = 60.0

    struct State {
        var window = PushDeliverer.initialWindow
        var pushBackoff = 0.0
        var pausedUntilMicros: Int64 = 0
    }

    let store: PubSubStore
    let clock: PubSubClock
    let httpClient: HTTPClient
    var states: [String: State] = [:]

    public init(emulator: PubSubEmulator, httpClient: HTTPClient = .shared) {
        self.store = emulator.store
        self.clock = emulator.clock
        self.httpClient = httpClient
    }

    /// Repeats `deliverDue()` every `interval` until the task is cancelled.
    public func run(interval: Duration = .milliseconds(100)) async {
        while !Task.isCancelled {
            await self.deliverDue()
            try? await Task.sleep(for: interval)
        }
    }

    /// One delivery step over all push subscriptions; returns when every request it started has settled.
    public func deliverDue() async {
        guard let subscriptions = try? await self.store.pushSubscriptions() else { return }
        await withTaskGroup(of: Void.self) { group in
            for subscription in subscriptions {
                guard let settings = PushSettings(subscription) else { continue }
                group.addTask { await self.deliver(settings) }
            }
        }
    }

    private func deliver(_ settings: PushSettings) async {
        let now = self.clock.micros
        let state = self.states[settings.name] ?? State()
        guard state.pausedUntilMicros <= now else { return }
        guard let messages = try? await self.store.pull(subscription: settings.name, limit: state.window, nowMicros: now),
            !messages.isEmpty
        else { return }
        let client = self.httpClient
        let outcomes = await withTaskGroup(of: (ReceivedMessage, Bool).self) { group in
            for message in messages {
                group.addTask { (message, await Self.post(message, settings: settings, client: client)) }
            }
            var outcomes: [(ReceivedMessage, Bool)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        for (message, acked) in outcomes {
            if acked {
                try? await self.store.acknowledge(subscription: settings.name, ackIds: [message.ackId])
            } else {
                await self.nack(message, settings: settings)
            }
            self.record(success: acked, subscription: settings.name)
        }
    }

    private func nack(_ message: ReceivedMessage, settings: PushSettings) async {
        let now = self.clock.micros
        if let topic = settings.deadLetterTopic, message.deliveryAttempt >= settings.maxDeliveryAttempts {
            let (project, id) = settings.projectAndId
            var attributes = message.attributes
            attributes["CloudPubSubDeadLetterSourceDeliveryCount"] = String(message.deliveryAttempt)
            attributes["CloudPubSubDeadLetterSourceSubscription"] = id
            attributes["CloudPubSubDeadLetterSourceSubscriptionProject"] = project
            attributes["CloudPubSubDeadLetterSourceTopicPublishTime"] = ProtoJSON.timestamp(micros: message.publishTimeMicros)
            let copy = OutgoingMessage(data: message.data, attributes: attributes, orderingKey: message.orderingKey)
            if (try? await self.store.publish(topic: topic, messages: [copy], nowMicros: now)) != nil {
                try? await self.store.acknowledge(subscription: settings.name, ackIds: [message.ackId])
                return
            }
        }
        let delay = settings.retryDelay(afterAttempt: message.deliveryAttempt)
        try? await self.store.release(
            subscription: settings.name, ackId: message.ackId, dueMicros: now + Int64((delay * 1_000_000).rounded())
        )
    }

    private func record(success: Bool, subscription: String) {
        var state = self.states[subscription] ?? State()
        if success {
            state.window = min(state.window * 2, Self.maximumWindow)
            state.pushBackoff = 0
            state.pausedUntilMicros = 0
        } else {
            state.window = max(state.window / 2, 1)
            state.pushBackoff = state.pushBackoff == 0
                ? Self.initialPushBackoff : min(state.pushBackoff * 2, Self.maximumPushBackoff)
            state.pausedUntilMicros = self.clock.micros + Int64((state.pushBackoff * 1_000_000).rounded())
        }
        self.states[subscription] = state
    }

    /// POSTs one message; true when the endpoint acknowledged it within the ack deadline.
    private static func post(_ message: ReceivedMessage, settings: PushSettings, client: HTTPClient) async -> Bool {
        let push = PushRequest(message: message, settings: settings)
        var request = HTTPClientRequest(url: settings.endpoint)
        request.method = .POST
        for (name, value) in push.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: push.body))
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(settings.ackDeadlineSeconds)))
            _ = try? await response.body.collect(upTo: 1 << 20)
            return PushRequest.isAck(status: Int(response.status.code))
        } catch {
            return false
        }
    }
}
