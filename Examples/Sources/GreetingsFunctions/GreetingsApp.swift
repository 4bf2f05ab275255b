import ContrailKit

/// The Greetings program's functions, built in one place for its main and its tests alike.
public enum GreetingsApp {
    /// `greet`, fed by the topic `greetings`, and `greetings`, which lists what `greet` stored.
    ///
    /// The store's hooks hang on `greet` alone: the host runs every function's hooks whatever `FUNCTION_TARGET`
    /// says, and one function opening the shared store once is enough.
    public static func registry(store: GreetingStore) throws(RegistrationError) -> FunctionRegistry {
        var registry = FunctionRegistry()
        try registry.register(
            "greet",
            StoreGreetingFunction(store: store),
            // A message no attempt can store (a payload that is not a greeting) goes to `greetings-dead-letter`
            // after five, rather than being redelivered for the seven days Pub/Sub keeps it.
            trigger: MessageTrigger(topic: "greetings", maxDeliveryAttempts: 5),
            options: FunctionOptions(
                onStartup: { _ in try await store.open() },
                onShutdown: { _ in try await store.close() }
            )
        )
        try registry.register(
            "greetings",
            ListGreetingsFunction(store: store),
            options: FunctionOptions(methods: [.get])
        )
        return registry
    }
}
