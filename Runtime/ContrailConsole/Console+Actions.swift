import ContrailKit
import Foundation
import PubSubEmulator

/// What the console changes, the same whether a page's form or the HTTP API asks.
extension Console {
    static let maximumLatencyMilliseconds = 600_000

    /// The subscription's full name, or NOT_FOUND.
    func subscriptionName(_ id: String) async throws(PubSubError) -> String {
        let name = ResourceID.subscription(id, project: self.project)
        guard try await self.pubsub.hasSubscription(name) else { throw .notFound(name) }
        return name
    }

    func setFaults(subscription id: String, failurePercent: Int, latencyMilliseconds: Int) async throws(PubSubError) {
        guard (0...100).contains(failurePercent) else {
            throw .invalid("failurePercent must be 0 to 100, not \(failurePercent).")
        }
        guard (0...Self.maximumLatencyMilliseconds).contains(latencyMilliseconds) else {
            throw .invalid("latencyMs must be 0 to \(Self.maximumLatencyMilliseconds), not \(latencyMilliseconds).")
        }
        let name = try await self.subscriptionName(id)
        await self.deliverer.setFaults(
            PushFaults(failurePercent: failurePercent, latency: .milliseconds(latencyMilliseconds)),
            for: name
        )
    }

    func setPaused(_ paused: Bool, subscription id: String) async throws(PubSubError) {
        let name = try await self.subscriptionName(id)
        await self.deliverer.setPaused(paused, subscription: name)
    }

    func skipWaits(subscription id: String) async throws(PubSubError) -> Int {
        try await self.deliverer.skipWaits(subscription: try await self.subscriptionName(id))
    }

    /// Publishes what the form holds: attributes one `key=value` a line.
    func publish(
        topic id: String,
        data: String,
        attributes text: String,
        orderingKey: String
    ) async throws(PubSubError)
        -> String
    {
        var attributes: [String: String] = [:]
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                throw .invalid("Attribute line \(number + 1), \"\(line)\", is not key=value.")
            }
            let key = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            guard attributes[key] == nil else {
                throw .invalid("Attribute \"\(key)\" is given twice (line \(number + 1)).")
            }
            attributes[key] = String(line[line.index(after: equals)...])
        }
        return try await self.pubsub.publish(
            topic: ResourceID.topic(id, project: self.project),
            data: Data(data.utf8),
            attributes: attributes,
            orderingKey: orderingKey
        )
    }

    func redrive(subscription id: String, messageID: String) async throws(PubSubError) -> String {
        try await self.pubsub.redrive(subscription: try await self.deadLetterName(id), messageID: messageID)
    }

    func purge(subscription id: String, messageID: String) async throws(PubSubError) {
        try await self.pubsub.purge(subscription: try await self.deadLetterName(id), messageID: messageID)
    }

    /// Redrives every dead letter, oldest first; stops at the first that cannot be, saying how many went before.
    func redriveAll() async throws(PubSubError) -> Int {
        try await self.forEachDeadLetter { message throws(PubSubError) in
            _ = try await self.pubsub.redrive(subscription: message.subscription, messageID: message.messageID)
        }
    }

    func purgeAll() async throws(PubSubError) -> Int {
        try await self.forEachDeadLetter { message throws(PubSubError) in
            try await self.pubsub.purge(subscription: message.subscription, messageID: message.messageID)
        }
    }

    private func forEachDeadLetter(
        _ act: (HeldMessage) async throws(PubSubError) -> Void
    ) async throws(PubSubError) -> Int {
        let keepers = try await self.deadLetterSubscriptions()
        var done = 0
        var after: Int64 = 0
        while true {
            let page = try await self.pubsub.peek(subscriptions: keepers, after: after, limit: 500)
            guard let last = page.last else { return done }
            for message in page {
                do {
                    try await act(message)
                } catch {
                    throw PubSubError(
                        code: error.code,
                        status: error.status,
                        reason: error.reason,
                        message:
                            "\(done) dead letters were handled before message \(message.messageID): \(error.message)"
                    )
                }
                done += 1
            }
            after = last.position
        }
    }

    /// A subscription that keeps dead letters, or FAILED_PRECONDITION for any other.
    private func deadLetterName(_ id: String) async throws(PubSubError) -> String {
        let name = try await self.subscriptionName(id)
        guard try await self.deadLetterSubscriptions().contains(name) else {
            throw .failedPrecondition("\(name) keeps no dead letters: only dead letters can be redriven or purged.")
        }
        return name
    }
}
