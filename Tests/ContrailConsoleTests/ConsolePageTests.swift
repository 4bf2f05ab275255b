import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import Testing

@testable import ContrailConsole

@Suite("The console's pages")
struct ConsolePageTests {
    @Test("The functions page lists 50 of 100,000 invocations with a link to older ones, and each opens its log lines")
    func manyInvocations() async throws {
        try await ConsoleHarness.run { harness in
            for index in 0..<100_000 {
                harness.journal.invocationFinished(
                    FinishedInvocation(
                        function: "ingest",
                        kind: .message,
                        method: "POST",
                        path: "/ingest",
                        status: 204,
                        duration: .milliseconds(3),
                        started: Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000 + Int64(index) * 1000),
                        messageID: "m\(index)",
                        deliveryAttempt: 1,
                        logLines: ["INFO stored m\(index)"]
                    )
                )
            }
            let page = try await harness.send(harness.console, .get, "/")
            #expect(page.status == 200)
            #expect(page.text.components(separatedBy: "data-invocation-id=").count - 1 == 50)
            #expect(page.text.contains(#"data-invocation-id="100000""#))
            #expect(page.text.contains(#"<a id="older" href="/?before=99951">"#))
            let older = try await harness.send(harness.console, .get, "/?before=99951")
            #expect(older.text.contains(#"data-invocation-id="99950""#))
            #expect(older.text.contains(#"data-live="false""#))
            let one = try await harness.send(harness.console, .get, "/invocations/99999")
            #expect(one.text.contains("<li><code>INFO stored m99998</code></li>"))
            let gone = try await harness.send(harness.console, .get, "/invocations/5")
            #expect(gone.status == 404)
        }
    }

    @Test("Every page renders from the binary alone, with the console's own script and styles")
    func everyPageRenders() async throws {
        try await ConsoleHarness.run { harness in
            for path in ["/", "/pubsub", "/pubsub/subscriptions/held/messages", "/dead-letters"] {
                let page = try await harness.send(harness.console, .get, path)
                #expect(page.status == 200, "\(path)")
                #expect(page.text.contains(#"<script src="/console.js" defer></script>"#), "\(path)")
            }
            #expect(try await harness.send(harness.console, .get, "/console.js").text.contains("EventSource"))
            #expect(try await harness.send(harness.console, .get, "/console.css").status == 200)
            #expect(try await harness.send(harness.console, .get, "/pubsub/subscriptions/nope/messages").status == 404)
        }
    }
}
