extension LocalPubSub {
    /// Settings of the local service that differ from Google's on purpose.
    public struct Configuration: Sendable {
        /// Whether a push subscription may deliver outside this machine. Off by default: a request that slips past
        /// the service's other checks could otherwise send every message, with tokens it signs for any account, to
        /// an address of its choosing. Loopback endpoints (`localhost`, 127.0.0.0/8, `[::1]`) are always allowed.
        public var allowsRemotePushEndpoints: Bool

        public init(allowsRemotePushEndpoints: Bool = false) {
            self.allowsRemotePushEndpoints = allowsRemotePushEndpoints
        }
    }
}
