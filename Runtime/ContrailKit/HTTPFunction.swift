/// A function that answers HTTP requests.
///
/// The request arrives as the client sent it, with its path relative to the function's mount point. A thrown
/// ``FunctionError`` becomes its status and message; any other error becomes a 500 with no internals in the body.
public protocol HTTPFunction: Sendable {
    func onHTTP(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse
}

/// An ``HTTPFunction`` made from a closure.
public struct ClosureHTTPFunction: HTTPFunction {
    let body: @Sendable (FunctionRequest, FunctionContext) async throws -> FunctionResponse

    public init(_ body: @escaping @Sendable (FunctionRequest, FunctionContext) async throws -> FunctionResponse) {
        self.body = body
    }

    public func onHTTP(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        try await self.body(request, context)
    }
}
