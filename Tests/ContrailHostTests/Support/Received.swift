import ContrailKit

/// The messages a test function was handed, in order.
actor Received {
    private(set) var messages: [PubSubMessage] = []

    func record(_ message: PubSubMessage) {
        self.messages.append(message)
    }
}
