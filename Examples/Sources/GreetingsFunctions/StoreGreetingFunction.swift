import ContrailKit

/// Stores each greeting published to the topic `greetings`.
///
/// A payload that is not a ``Greeting`` never reaches `onMessage`: `JSONMessageFunction` refuses it with 400, as
/// malformed rather than failed, and after the trigger's attempts Pub/Sub sets it aside as a dead letter.
public struct StoreGreetingFunction: JSONMessageFunction {
    let store: GreetingStore

    public init(store: GreetingStore) {
        self.store = store
    }

    public func onMessage(_ greeting: Greeting, message: PubSubMessage, context: FunctionContext) async throws {
        try await self.store.add(greeting, messageId: message.id)
        context.logger.info("received a greeting", metadata: ["language": "\(greeting.language)"])
    }
}
