import ContrailKit
import Logging

/// Logs each message it is delivered: the smallest example of a message function.
struct LogMessageFunction: MessageFunction {
    func onMessage(_ message: PubSubMessage, context: FunctionContext) async throws {
        context.logger.info(
            "received message",
            metadata: [
                "bytes": "\(message.data.count)",
                "topic": "\(message.topic ?? "")",
                "attributes": .dictionary(message.attributes.mapValues { .string($0) }),
            ]
        )
    }
}
