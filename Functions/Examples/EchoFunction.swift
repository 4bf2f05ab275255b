import ContrailKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Answers with what it received: method, path below its mount point, query and body size. A smoke test for a
/// deployment and the smallest example of an HTTP function.
struct EchoFunction: HTTPFunction {
    struct Echo: Encodable {
        let method: String
        let path: String
        let query: String
        let bodyBytes: Int
    }

    func onHTTP(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        try .json(
            Echo(method: request.method.rawValue, path: request.path, query: request.query, bodyBytes: request.body.count)
        )
    }
}
