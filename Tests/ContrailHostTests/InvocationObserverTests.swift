import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import Logging
import Synchronization
import Testing

@Suite("The invocation observer")
struct InvocationObserverTests {
    /// Keeps what it is told.
    final class Recorder: InvocationObserver {
        private let seen = Mutex<[FinishedInvocation]>([])

        var invocations: [FinishedInvocation] { self.seen.withLock { $0 } }

        func invocationFinished(_ invocation: FinishedInvocation) {
            self.seen.withLock { $0.append(invocation) }
        }
    }

    static func router(observer: Recorder) throws -> FunctionRouter {
        var registry = FunctionRegistry()
        try registry.onMessage("ingest") { message, context in
            context.logger.info("storing", metadata: ["bytes": "\(message.data.count)"])
            if message.data == Data("fail".utf8) { throw FunctionError(.unavailable, "store down") }
        }
        try registry.onHTTP("chatty") { _, context in
            for line in 0..<(LogLineBuffer.capacity + 10) { context.logger.info("line \(line)") }
            return FunctionResponse(status: .ok)
        }
        return try FunctionRouter(
            registry: registry,
            configuration: HostConfiguration(),
            logger: Logger(label: "test"),
            observer: observer
        )
    }

    static func push(_ router: FunctionRouter, data: String, attempt: Int) async -> FunctionResponse {
        let message = PubSubMessage(id: "m-\(data)", data: Data(data.utf8), deliveryAttempt: attempt)
        var head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/ingest")
        head.headerFields[.contentType] = "application/json"
        head.headerFields[HTTPField.Name("traceparent")!] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        return await router.respond(
            to: head,
            body: PushBody(message: message, subscription: "projects/p/subscriptions/s").encoded()
        )
    }

    @Test("Hears of every invocation once its response is made: status, message, attempt, trace and its log lines")
    func reportsEachInvocation() async throws {
        let recorder = Recorder()
        let router = try Self.router(observer: recorder)
        #expect(await Self.push(router, data: "ok", attempt: 2).status.code == 204)
        #expect(await Self.push(router, data: "fail", attempt: 3).status.code == 503)
        let seen = recorder.invocations
        try #require(seen.count == 2)
        #expect(seen[0].function == "ingest")
        #expect(seen[0].kind == .message)
        #expect(seen[0].status == 204)
        #expect(seen[0].messageID == "m-ok")
        #expect(seen[0].deliveryAttempt == 2)
        #expect(seen[0].traceID == "0af7651916cd43dd8448eb211c80319c")
        #expect(seen[0].logLines.contains { $0.hasPrefix("INFO storing") && $0.contains("bytes=2") })
        #expect(seen[0].logLines.contains { $0.contains("POST /ingest 204") })
        #expect(seen[1].status == 503)
        #expect(seen[1].deliveryAttempt == 3)
        #expect(seen[1].logLines.contains { $0.contains("POST /ingest 503") })
    }

    @Test("Keeps only the latest lines of an invocation that logs in a loop, and says how many went")
    func boundsLogLines() async throws {
        let recorder = Recorder()
        let router = try Self.router(observer: recorder)
        let head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/chatty")
        #expect(await router.respond(to: head, body: Data()).status == .ok)
        let lines = try #require(recorder.invocations.first).logLines
        // The function's lines, the host's one line, and the note of what was dropped before them.
        #expect(lines.count == LogLineBuffer.capacity + 1)
        #expect(lines.first == "(11 earlier lines dropped)")
        #expect(lines.last?.contains("GET /chatty 200") == true)
    }
}
