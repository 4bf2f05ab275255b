import ContrailHost
import ContrailKit
import Foundation
import Logging
import ServiceLifecycle
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("FunctionHost runs start-up and shutdown hooks around serving")
struct FunctionHostLifecycleTests {
    /// What happened, in order.
    actor Events {
        private(set) var names: [String] = []
        func add(_ name: String) { self.names.append(name) }
    }

    struct HookFailed: Error {}

    @Test("start-up hooks run before the first request, shutdown hooks after the last one finished")
    func hooksBracketServing() async throws {
        let events = Events()
        var registry = FunctionRegistry()
        let options = FunctionOptions(
            onStartup: { _ in await events.add("startup") },
            onShutdown: { _ in await events.add("shutdown") }
        )
        try registry.onHTTP("work", options: options) { _, _ in
            await events.add("request")
            return .text("done")
        }
        try await withRunningHost(registry) { port in
            #expect(await events.names == ["startup"])

            let url = try #require(URL(string: "http://127.0.0.1:\(port)/work"))
            let (body, response) = try await URLSession.shared.data(from: url)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: body, as: UTF8.self) == "done")
        }
        #expect(await events.names == ["startup", "request", "shutdown"])
    }

    @Test("a failing start-up hook stops the host before it listens, naming the function")
    func failingStartupHookStopsTheHost() async throws {
        var registry = FunctionRegistry()
        try registry.onHTTP("fragile", options: FunctionOptions(onStartup: { _ in throw HookFailed() })) { _, _ in
            .text("never")
        }
        var configuration = HostConfiguration()
        configuration.port = 0
        let host = try FunctionHost(registry: registry, configuration: configuration, logger: Logger(label: "test")) {
            _ in
            Issue.record("the host listened although a start-up hook failed")
        }
        let error = await #expect(throws: LifecycleHookError.self) { try await host.run() }
        #expect(error?.function == "fragile")
        #expect(error?.phase == "startup")
    }
}
