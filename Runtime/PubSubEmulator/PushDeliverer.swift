import AsyncHTTPClient
public import ContrailKit
import Deadline
import Foundation
import NIOCore
import NIOHTTP1
import PubSubProtocol
import Synchronization

/// Delivers messages of push subscriptions to their `pushConfig.pushEndpoint`.
///
/// Each subscription has a window of messages it may have in flight, which grows by one with each acknowledged
/// push (doubling every round trip, as Pub/Sub's slow start does) and halves on each failure, and a push backoff
/// that pauses the whole subscription after a failure for 100 ms to 60 s, exponential in its recent NACK rate, as
/// Pub/Sub's does (a fifth of pushes failing pauses it about 400 ms; all failing, a minute). `run()` leases what each window has room for on every tick and lets each push
/// settle on its own, so a slow endpoint holds back only its own subscription. `deliverDue()` is one tick that
/// waits for its pushes; tests call it against a manual clock.
public actor PushDeliverer {
    static let initialWindow = 4
    static let maximumWindow = 256
    static let minimumPushBackoff = 0.1
    /// The weight of the latest outcome in the NACK rate: about the last ten pushes count.
    static let nackRateWeight = 0.2

    struct State {
        var window = PushDeliverer.initialWindow
        var inFlight = 0
        /// Exponentially weighted share of recent pushes that failed.
        var nackRate = 0.0
        var pausedUntilMicros: Int64 = 0
        /// How the pushes ended, since the start.
        var outcomes: [PushOutcome: Int] = [:]
    }

    /// One leased message on its way to an endpoint.
    struct Delivery: Sendable {
        let message: ReceivedMessage
        let settings: PushSettings
    }

    let store: PubSubStore
    let clock: WallClock
    let signer: PushTokenSigner
    let metrics = PushMetrics()
    let maximumPushBackoff: Double
    var states: [String: State] = [:]
    /// Test controls (``PushDeliverer/setFaults(_:for:)``, ``PushDeliverer/setPaused(_:subscription:)``).
    var faults: [String: PushFaults] = [:]
    var paused: Set<String> = []
    /// The ack ids being pushed right now, which skipping waits must not make due a second time.
    var inFlightAckIds: Set<String> = []
    var backlogMeasuredAt = ContinuousClock.now.advanced(by: .seconds(-10))

    /// - Parameter maximumPushBackoff: the longest pause after failures; Pub/Sub's is 60 s and cannot be changed,
    ///   a test may shorten it to bound its own running time.
    public init(emulator: LocalPubSub, maximumPushBackoff: Duration = .seconds(60)) {
        self.maximumPushBackoff = maximumPushBackoff / .seconds(1)
        self.store = emulator.store
        self.clock = emulator.clock
        self.signer = emulator.tokenSigner
    }

    /// A subscription's flow control now: its window, the messages in flight, its recent NACK rate, and until when
    /// it is paused (microseconds since 1970); for diagnosis and tests.
    public func flow(
        of subscription: String
    ) -> (
        window: Int, inFlight: Int, nackRate: Double, pausedUntilMicros: Int64
    ) {
        let state = self.states[subscription] ?? State()
        return (state.window, state.inFlight, state.nackRate, state.pausedUntilMicros)
    }

    /// Leases and pushes every `interval` until the task is cancelled; pushes settle independently of the ticks.
    public func run(interval: Duration = .milliseconds(50)) async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                for delivery in await self.lease() {
                    group.addTask { await self.deliver(delivery) }
                }
                await self.measureBacklog()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One tick: leases what is due and returns when every push it started has settled.
    public func deliverDue() async {
        let deliveries = await self.lease()
        await withDiscardingTaskGroup { group in
            for delivery in deliveries { group.addTask { await self.deliver(delivery) } }
        }
    }

    /// Leases, for each push subscription outside its push backoff, as many due messages as its window has room for.
    private func lease() async -> [Delivery] {
        guard let subscriptions = try? await self.store.pushSubscriptions() else { return [] }
        var deliveries: [Delivery] = []
        for subscription in subscriptions {
            guard let settings = PushSettings(subscription) else { continue }
            let now = self.clock.now().microsecondsSinceEpoch
            let state = self.states[settings.name] ?? State()
            let room = state.window - state.inFlight
            guard !self.paused.contains(settings.name), state.pausedUntilMicros <= now, room > 0,
                let messages = try? await self.store.pull(settings.subscription, limit: room, nowMicros: now)
            else { continue }
            // Pushes settled while the pull was awaited; a copy taken before it would undo their accounting.
            self.states[settings.name, default: State()].inFlight += messages.count
            self.inFlightAckIds.formUnion(messages.map(\.ackId))
            deliveries += messages.map { Delivery(message: $0, settings: settings) }
        }
        return deliveries
    }

    private func deliver(_ delivery: Delivery) async {
        var token: String?
        if let oidc = delivery.settings.oidc {
            token = try? await self.signer.token(audience: oidc.audience, serviceAccount: oidc.serviceAccount)
        }
        let faults = self.faults[delivery.settings.name] ?? .none
        let outcome =
            token == nil && delivery.settings.oidc != nil
            ? .error
            : await Self.post(delivery, token: token, faults: faults, client: Self.httpClient)
        self.metrics.pushed(delivery.settings.name, outcome: outcome)
        self.states[delivery.settings.name, default: State()].outcomes[outcome, default: 0] += 1
        let acked = outcome == .ack
        // Settling must finish even when the deliverer is being stopped, or the lease would hold the message
        // until its ack deadline; an unstructured task does not inherit the cancellation.
        await Task { await self.settle(delivery, acked: acked) }.value
    }

    private func settle(_ delivery: Delivery, acked: Bool) async {
        let name = delivery.settings.name
        if acked {
            try? await self.store.acknowledge(subscription: name, ackIds: [delivery.message.ackId])
            self.metrics.acknowledged(name)
        } else {
            await self.nack(delivery.message, settings: delivery.settings)
        }
        self.inFlightAckIds.remove(delivery.message.ackId)
        var state = self.states[name] ?? State()
        state.inFlight = max(0, state.inFlight - 1)
        let now = self.clock.now().microsecondsSinceEpoch
        state.nackRate = state.nackRate * (1 - Self.nackRateWeight) + (acked ? 0 : Self.nackRateWeight)
        if acked {
            state.window = min(state.window + 1, Self.maximumWindow)
        } else {
            state.window = max(state.window / 2, 1)
            // Failures of one burst pause the subscription once.
            if state.pausedUntilMicros <= now {
                let pause =
                    Self.minimumPushBackoff * pow(self.maximumPushBackoff / Self.minimumPushBackoff, state.nackRate)
                state.pausedUntilMicros = now + Int64((pause * 1_000_000).rounded())
            }
        }
        self.states[name] = state
    }

    private func nack(_ message: ReceivedMessage, settings: PushSettings) async {
        let now = self.clock.now().microsecondsSinceEpoch
        if let topic = settings.deadLetterTopic, message.deliveryAttempt >= settings.maxDeliveryAttempts {
            let (project, id) = settings.projectAndId
            var attributes = message.attributes
            attributes["CloudPubSubDeadLetterSourceDeliveryCount"] = String(message.deliveryAttempt)
            attributes["CloudPubSubDeadLetterSourceSubscription"] = id
            attributes["CloudPubSubDeadLetterSourceSubscriptionProject"] = project
            attributes["CloudPubSubDeadLetterSourceTopicPublishTime"] =
                Timestamp(microsecondsSinceEpoch: message.publishTimeMicros).rfc3339
            let copy = OutgoingMessage(data: message.data, attributes: attributes, orderingKey: message.orderingKey)
            if (try? await self.store.publish(topic: topic, messages: [copy], nowMicros: now)) != nil {
                try? await self.store.acknowledge(subscription: settings.name, ackIds: [message.ackId])
                self.metrics.deadLettered(settings.name)
                return
            }
        }
        let delay = settings.retryDelay(afterAttempt: message.deliveryAttempt)
        try? await self.store.release(
            subscription: settings.name,
            ackId: message.ackId,
            dueMicros: now + Int64((delay * 1_000_000).rounded())
        )
    }

    /// Publishes each subscription's backlog and the age of its oldest unacknowledged message, once a second.
    private func measureBacklog() async {
        guard self.backlogMeasuredAt.duration(to: .now) >= .seconds(1) else { return }
        self.backlogMeasuredAt = .now
        guard let rows = try? await self.store.backlog() else { return }
        let now = self.clock.now().microsecondsSinceEpoch
        for row in rows {
            let age = row.oldestPublishMicros.map { Double(max(0, now - $0)) / 1_000_000 } ?? 0
            self.metrics.declare(row.subscription)
            self.metrics.backlog(row.subscription, messages: row.messages, oldestAgeSeconds: age)
        }
    }

    /// POSTs one message and says how the endpoint answered within the ack deadline.
    ///
    /// The deadline covers the whole exchange, body included, and is enforced here rather than left to the client:
    /// an endpoint that sends a head and then stalls must not hold a slot of the window for ever.
    /// Injected faults act inside the deadline: a latency as long as it times the push out.
    private static func post(
        _ delivery: Delivery,
        token: String?,
        faults: PushFaults,
        client: HTTPClient
    ) async -> PushOutcome {
        let deadline = Duration.seconds(delivery.settings.ackDeadlineSeconds)
        do {
            return try await withDeadline(.now.advanced(by: deadline)) {
                if faults.latency > .zero { try? await Task.sleep(for: faults.latency) }
                if Task.isCancelled { return .timeout }
                if faults.failurePercent > 0, Int.random(in: 0..<100) < faults.failurePercent { return .nack }
                return await Self.exchange(delivery, token: token, client: client)
            }
        } catch {
            return .timeout
        }
    }

    /// One POST and its answer; `withDeadline` in ``post(_:token:faults:client:)`` is what bounds it.
    private static func exchange(_ delivery: Delivery, token: String?, client: HTTPClient) async -> PushOutcome {
        let settings = delivery.settings
        let push = PushRequest(message: delivery.message, settings: settings, token: token)
        var request = HTTPClientRequest(url: settings.endpoint)
        request.method = .POST
        for (name, value) in push.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: push.body))
        do {
            let response = try await client.execute(request, deadline: .distantFuture)
            _ = try? await response.body.collect(upTo: 1 << 20)
            return PushRequest.isAck(status: Int(response.status.code)) ? .ack : .nack
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .timeout
        } catch {
            return Task.isCancelled ? .timeout : .error
        }
    }
}
