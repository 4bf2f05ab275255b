import ContrailHost
import ContrailKit
import Logging
import ServiceLifecycle
import Testing

/// Serves `registry` on a free port of 127.0.0.1 in a service group while `body` runs with that port, then shuts
/// the group down gracefully and waits for it.
func withRunningHost(_ registry: FunctionRegistry, _ body: (_ port: Int) async throws -> Void) async throws {
    var configuration = HostConfiguration()
    configuration.bindAddress = "127.0.0.1"
    configuration.port = 0
    let listening = AsyncStream<Int>.makeStream()
    let host = try FunctionHost(registry: registry, configuration: configuration, logger: Logger(label: "test")) {
        listening.continuation.yield($0)
    }
    let group = ServiceGroup(services: [host], logger: Logger(label: "test"))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var ports = listening.stream.makeAsyncIterator()
        let port = try #require(await ports.next())
        try await body(port)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
