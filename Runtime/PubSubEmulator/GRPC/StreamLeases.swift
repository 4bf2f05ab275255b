import PubSubProtocol
import Synchronization

/// What one stream holds: its settings, and the leases it handed out that may still count against its flow control.
final class StreamLeases: Sendable {
    private struct State {
        var ackDeadlineSeconds: Int
        /// Ack id → data size, of messages sent on this stream and not known to be settled.
        var leased: [String: Int] = [:]
    }

    /// As it was when the stream opened.
    let subscription: Subscription
    /// 0 means no limit, as in the request.
    private let maxMessages: Int
    private let maxBytes: Int
    private let state: Mutex<State>

    init(subscription: Subscription, ackDeadlineSeconds: Int, maxMessages: Int, maxBytes: Int) {
        self.subscription = subscription
        self.maxMessages = maxMessages
        self.maxBytes = maxBytes
        self.state = Mutex(State(ackDeadlineSeconds: ackDeadlineSeconds))
    }

    var ackDeadlineSeconds: Int { self.state.withLock(\.ackDeadlineSeconds) }

    func setAckDeadline(_ seconds: Int) { self.state.withLock { $0.ackDeadlineSeconds = seconds } }

    var ackIds: [String] { self.state.withLock { Array($0.leased.keys) } }

    func add(_ messages: [ReceivedMessage]) {
        self.state.withLock { state in
            for message in messages { state.leased[message.ackId] = message.data.count }
        }
    }

    /// Forgets the leases that were settled or ran out, and says how much more the stream may hold.
    func keepOnly(_ stillLeased: [String: Int]) -> (messages: Int, bytes: Int) {
        self.state.withLock { state in
            state.leased = state.leased.filter { stillLeased[$0.key] != nil }
            let messages = self.maxMessages > 0 ? self.maxMessages - state.leased.count : StreamingPull.largestBatch
            let bytes = self.maxBytes > 0 ? self.maxBytes - state.leased.values.reduce(0, +) : Int.max
            return (max(messages, 0), max(bytes, 0))
        }
    }
}
