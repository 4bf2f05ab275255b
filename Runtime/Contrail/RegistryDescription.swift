import ContrailKit
import Foundation

/// The declaration of a registry as `describe` prints it: each function's name and kind, and for a message function
/// the trigger with every setting spelled out, named as `dev` names what it creates. Absent settings are left out.
struct RegistryDescription: Encodable {
    struct Function: Encodable {
        let name: String
        let kind: String
        let trigger: Trigger?
    }

    struct Trigger: Encodable {
        struct Retry: Encodable {
            let minimumBackoffSeconds: Double
            let maximumBackoffSeconds: Double
        }

        struct DeadLetter: Encodable {
            let topic: String
            /// The pull subscription that keeps the dead letters.
            let subscription: String
            let maxDeliveryAttempts: Int
        }

        struct NoWrapper: Encodable {
            let writeMetadata: Bool
        }

        let topic: String
        let subscription: String
        let ackDeadlineSeconds: Double
        let retryPolicy: Retry?
        let deadLetterPolicy: DeadLetter?
        /// Present when pushes carry the bare payload, as `pushConfig.noWrapper` is.
        let noWrapper: NoWrapper?
        let messageOrdering: Bool
        let filter: String?
    }

    let functions: [Function]

    init(_ registry: FunctionRegistry) {
        self.functions = registry.entries.map { entry in
            switch entry.kind {
            case .http:
                Function(name: entry.name, kind: "http", trigger: nil)
            case .message:
                Function(name: entry.name, kind: "message", trigger: entry.trigger.map { Trigger($0, of: entry.name) })
            }
        }
    }

    /// Pretty-printed with sorted keys, so that the output of one declaration never changes.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

extension RegistryDescription.Trigger {
    init(_ trigger: MessageTrigger, of function: String) {
        self.topic = trigger.topic
        self.subscription = trigger.subscriptionID(function: function)
        self.ackDeadlineSeconds = Self.seconds(trigger.ackDeadline)
        self.retryPolicy = trigger.retryPolicy.map {
            Retry(
                minimumBackoffSeconds: Self.seconds($0.minimumBackoff),
                maximumBackoffSeconds: Self.seconds($0.maximumBackoff)
            )
        }
        if let topic = trigger.deadLetterTopic, let keeper = trigger.deadLetterSubscription,
            let attempts = trigger.maxDeliveryAttempts
        {
            self.deadLetterPolicy = DeadLetter(topic: topic, subscription: keeper, maxDeliveryAttempts: attempts)
        } else {
            self.deadLetterPolicy = nil
        }
        if case .unwrapped(let writeMetadata) = trigger.payloadFormat {
            self.noWrapper = NoWrapper(writeMetadata: writeMetadata)
        } else {
            self.noWrapper = nil
        }
        self.messageOrdering = trigger.messageOrdering
        self.filter = trigger.filter
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
