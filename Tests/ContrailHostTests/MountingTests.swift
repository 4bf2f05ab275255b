import ContrailHost
import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Testing

@Suite("Mounting functions by name or as FUNCTION_TARGET")
struct MountingTests {
    /// What an echo function saw of the request.
    struct Seen: Codable, Equatable {
        var function: String
        var path: String
        var query: String
    }

    static func registry() throws -> FunctionRegistry {
        var registry = FunctionRegistry()
        for name in ["echo", "other"] {
            try registry.onHTTP(name) { request, context in
                try .json(Seen(function: context.functionName, path: request.path, query: request.query))
            }
        }
        return registry
    }

    static func client(target: String?) throws -> FunctionTestClient {
        var configuration = HostConfiguration()
        configuration.functionTarget = target
        return try FunctionTestClient(registry: self.registry(), configuration: configuration)
    }

    private func seen(_ path: String, client: FunctionTestClient) async throws -> Seen {
        let response = await client.send(method: .get, path: path)
        try #require(response.status == .ok, "GET \(path) answered \(response.status)")
        return try JSONDecoder().decode(Seen.self, from: response.body)
    }

    @Test(
        "Without FUNCTION_TARGET, each function is served below /<name> with the path under its mount point",
        arguments: [
            ("/echo/a/b?x=1", Seen(function: "echo", path: "/a/b", query: "x=1")),
            ("/echo", Seen(function: "echo", path: "/", query: "")),
            ("/echo/", Seen(function: "echo", path: "/", query: "")),
            ("/echo?x=1&y=2", Seen(function: "echo", path: "/", query: "x=1&y=2")),
            ("/other/z", Seen(function: "other", path: "/z", query: "")),
        ]
    )
    func mountedByName(path: String, expected: Seen) async throws {
        let client = try Self.client(target: nil)
        #expect(try await self.seen(path, client: client) == expected)
    }

    @Test(
        "Without FUNCTION_TARGET, a name must match a whole path segment",
        arguments: ["/", "/echoes", "/ech", "/Echo"]
    )
    func partialNamesAreNotFound(path: String) async throws {
        let client = try Self.client(target: nil)
        let response = await client.send(method: .get, path: path)
        #expect(response.status == .notFound)
    }

    @Test(
        "With FUNCTION_TARGET, the target receives every path in full",
        arguments: [
            ("/", Seen(function: "echo", path: "/", query: "")),
            ("/a/b", Seen(function: "echo", path: "/a/b", query: "")),
            ("/anything?q=1", Seen(function: "echo", path: "/anything", query: "q=1")),
            ("/echo/a", Seen(function: "echo", path: "/echo/a", query: "")),
            ("/other/z", Seen(function: "echo", path: "/other/z", query: "")),
        ]
    )
    func mountedAsTarget(path: String, expected: Seen) async throws {
        let client = try Self.client(target: "echo")
        #expect(try await self.seen(path, client: client) == expected)
    }

    @Test("With FUNCTION_TARGET, the runtime still answers /_/health and refuses the browser paths")
    func runtimeRoutesSurviveTarget() async throws {
        let client = try Self.client(target: "echo")

        let health = await client.send(method: .get, path: "/_/health")
        #expect(health.status == .ok)
        #expect(try JSONDecoder().decode([String: String].self, from: health.body) == ["status": "ok"])

        for path in ["/robots.txt", "/favicon.ico", "/_/anything"] {
            let response = await client.send(method: .get, path: path)
            #expect(response.status == .notFound, "\(path)")
        }
    }

    @Test("A message function mounted as FUNCTION_TARGET reads the topic from the full push path")
    func targetMessageFunctionSeesTopicPath() async throws {
        let received = Received()
        var registry = FunctionRegistry()
        try registry.onMessage("ingest") { message, _ in await received.record(message) }
        var configuration = HostConfiguration()
        configuration.functionTarget = "ingest"
        let client = try FunctionTestClient(registry: registry, configuration: configuration)
        let message = PubSubMessage(id: "m-1", data: Data("x".utf8))
        let body = PushBody(message: message, subscription: "projects/p/subscriptions/s")

        let response = await client.send(method: .post, path: "/projects/p/topics/t", body: body.encoded())

        #expect(response.status == .noContent)
        #expect(await received.messages.map(\.topic) == ["projects/p/topics/t"])
    }

    @Test("FUNCTION_TARGET naming an unregistered function is a ConfigurationError naming FUNCTION_TARGET")
    func unknownTargetIsAConfigurationError() throws {
        let error = #expect(throws: ConfigurationError.self) { try Self.client(target: "missing") }
        #expect(error?.variable == "FUNCTION_TARGET")
        #expect(error?.value == "missing")
        #expect(error?.expected.contains("echo") == true)
        #expect(error?.expected.contains("other") == true)
        #expect(error?.description.contains("FUNCTION_TARGET") == true)
    }

    @Test("FUNCTION_TARGET with nothing registered says that none are")
    func targetWithEmptyRegistry() throws {
        var configuration = HostConfiguration()
        configuration.functionTarget = "ingest"
        let error = #expect(throws: ConfigurationError.self) {
            try FunctionTestClient(registry: FunctionRegistry(), configuration: configuration)
        }
        #expect(error?.variable == "FUNCTION_TARGET")
        #expect(error?.expected.contains("none are registered") == true)
    }
}
