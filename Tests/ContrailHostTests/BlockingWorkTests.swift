import ContrailHost
import ContrailKit
import Foundation
import Logging
import ServiceLifecycle
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Blocking work runs off the threads that serve requests")
struct BlockingWorkTests {
    @Test("/_/health answers within a second while more functions than cores block for two seconds")
    func healthAnswersWhileFunctionsBlock() async throws {
        var registry = FunctionRegistry()
        try registry.onHTTP("block") { _, context in
            let slept = try await context.runBlocking {
                // A synchronous call that holds its thread, as a blocking driver would.
                Thread.sleep(forTimeInterval: 2)
                return "slept"
            }
            return .text(slept)
        }
        try await withRunningHost(registry) { port in
            let blockURL = try #require(URL(string: "http://127.0.0.1:\(port)/block"))
            let healthURL = try #require(URL(string: "http://127.0.0.1:\(port)/_/health"))

            let blockers = Task {
                try await withThrowingTaskGroup(of: String.self) { calls in
                    for _ in 0...ProcessInfo.processInfo.activeProcessorCount {
                        calls.addTask {
                            String(decoding: try await URLSession.shared.data(from: blockURL).0, as: UTF8.self)
                        }
                    }
                    return try await calls.reduce(into: []) { $0.append($1) }
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            let started = ContinuousClock.now
            let (_, response) = try await URLSession.shared.data(from: healthURL)
            let waited = started.duration(to: .now)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(waited < .seconds(1), "/_/health took \(waited) while functions blocked")

            let answers = try await blockers.value
            #expect(answers.count == ProcessInfo.processInfo.activeProcessorCount + 1)
            #expect(answers.allSatisfy { $0 == "slept" })
        }
    }
}
