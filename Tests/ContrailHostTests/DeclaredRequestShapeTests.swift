import ContrailHost
import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Synchronization
import Testing

@Suite("A function's declared methods and body limit are enforced before it runs")
struct DeclaredRequestShapeTests {
    private let calls = Calls()
    private let client: FunctionTestClient

    init() throws {
        var registry = FunctionRegistry()
        let calls = self.calls
        try registry.onHTTP("read", options: FunctionOptions(methods: [.get, .head], maxRequestBodySize: 0)) { _, _ in
            calls.add()
            return FunctionResponse(status: .ok)
        }
        try registry.onHTTP("small", options: FunctionOptions(maxRequestBodySize: 4)) { request, _ in
            calls.add()
            return FunctionResponse(status: .ok, body: request.body)
        }
        try registry.onHTTP("any") { _, _ in
            calls.add()
            return FunctionResponse(status: .ok)
        }
        self.client = try FunctionTestClient(registry: registry)
    }

    @Test("a method the function does not declare is a 405 naming the allowed ones, and the handler does not run")
    func undeclaredMethod() async throws {
        let response = await self.client.send(method: .post, path: "/read", body: Data("x".utf8))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headerFields[.allow] == "GET, HEAD")
        #expect(self.calls.count == 0)
        #expect(await self.client.send(method: .get, path: "/read").status == .ok)
        #expect(self.calls.count == 1)
    }

    @Test("a body over the function's own limit is a 413, and the handler does not run")
    func bodyOverTheFunctionLimit() async throws {
        #expect(await self.client.send(method: .get, path: "/read", body: Data("x".utf8)).status == .contentTooLarge)
        #expect(
            await self.client.send(method: .post, path: "/small", body: Data("12345".utf8)).status == .contentTooLarge
        )
        #expect(self.calls.count == 0)
        let within = await self.client.send(method: .post, path: "/small", body: Data("1234".utf8))
        #expect(within.status == .ok)
        #expect(within.body == Data("1234".utf8))
    }

    @Test("a function that declares nothing takes every method and body up to the host's limit")
    func undeclared() async throws {
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            #expect(await self.client.send(method: method, path: "/any", body: Data("body".utf8)).status == .ok)
        }
    }
}

/// How many times the handlers ran.
private final class Calls: Sendable {
    private let value = Mutex(0)

    func add() { self.value.withLock { $0 += 1 } }
    var count: Int { self.value.withLock { $0 } }
}
