/// A function that handles one Pub/Sub message per invocation.
///
/// Returning acknowledges the message (the host answers 204). Throwing makes the host answer 500 so that
/// Pub/Sub redelivers it; throw a ``FunctionError`` with a 4xx status to refuse a malformed message instead.
public protocol MessageFunction: Sendable {
    func onMessage(_ message: PubSubMessage, context: FunctionContext) async throws
}

/// A ``MessageFunction`` made from a closure.
public struct ClosureMessageFunction: MessageFunction {
    let body: @Sendable (PubSubMessage, FunctionContext) async throws -> Void

    public init(_ body: @escaping @Sendable (PubSubMessage, FunctionContext) async throws -> Void) {
        self.body = body
    }

    public func onMessage(_ message: PubSubMessage, context: FunctionContext) async throws {
        try await self.body(message, context)
    }
}
