import ContrailKit

/// `GET /greetings`: every stored greeting, as a ``GreetingList``.
public struct ListGreetingsFunction: HTTPFunction {
    let store: GreetingStore

    public init(store: GreetingStore) {
        self.store = store
    }

    public func onHTTP(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        try .json(GreetingList(greetings: await self.store.all()))
    }
}
