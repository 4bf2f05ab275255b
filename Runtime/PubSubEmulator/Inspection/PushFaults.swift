/// Faults injected into a push subscription's deliveries, for testing what a failing endpoint does.
package struct PushFaults: Sendable, Equatable {
    /// The share of pushes, in percent, that fail as if the endpoint had answered 503, without being sent.
    package var failurePercent: Int
    /// How long each push waits before it is sent; the ack deadline still bounds the whole push.
    package var latency: Duration

    package static let none = PushFaults(failurePercent: 0, latency: .zero)

    package init(failurePercent: Int, latency: Duration) {
        self.failurePercent = failurePercent
        self.latency = latency
    }
}
