import Foundation
import Testing

@Suite("contrail dev keeps unacknowledged messages across a restart")
struct DevRestartEndToEndTests {
    @Test("Messages refused before a restart are delivered after it, each stored once")
    func redeliveredAfterRestart() async throws {
        let directory = temporaryDirectory()
        let state = directory.appendingPathComponent("pubsub.sqlite").path
        let store = "sqlite:" + directory.appendingPathComponent("store.sqlite").path
        let hostPort = try freePort()
        let pubsubPort = try freePort()
        let arguments = [
            "dev", "--pubsub-port", "\(pubsubPort)", "--pubsub-state", state, "--console-port", "\(try freePort())",
        ]

        // A host expecting another audience refuses every push with 403: Pub/Sub keeps the messages and retries.
        let first = try await ContrailProcess.start(
            arguments,
            environment: [
                "PORT": "\(hostPort)", "DATABASE_URL": store, "PUSH_AUTH": "oidc",
                "PUSH_AUDIENCE": "https://not-this-host",
                "PUSH_JWKS_URL": "http://127.0.0.1:\(pubsubPort)/oauth2/v3/certs",
            ]
        )
        try await waitFor("the first pipeline") {
            first.logLines.contains { $0["message"] as? String == "pipeline ready" }
        }
        let (status, stderr) = try await ContrailProcess.run(
            ["publish", "--topic", "events", "--data", "kept", "--count", "5"],
            environment: ["PUBSUB_EMULATOR_HOST": "127.0.0.1:\(pubsubPort)"]
        )
        #expect(status == 0, "publish failed: \(stderr)")
        try await waitFor("refused pushes") {
            first.logLines.filter { ($0["message"] as? String)?.contains(" 403 ") == true }.count >= 5
        }
        #expect(try await storedIDs(port: hostPort).isEmpty)
        first.signal(SIGTERM)
        #expect(await first.waitForExit() == 0)

        let second = try await ContrailProcess.start(
            arguments,
            environment: ["PORT": "\(hostPort)", "DATABASE_URL": store]
        )
        defer { second.signal(SIGKILL) }
        var stored: [String] = []
        // Each refused message waits out the declared retry policy's 10 s minimum backoff before its next push.
        try await waitFor("the kept messages to be stored", seconds: 45) {
            stored = (try? await storedIDs(port: hostPort)) ?? []
            return stored.count >= 5
        }
        // Five records, each stored once, under the numeric ids the service gave them.
        #expect(stored.count == 5)
        #expect(Set(stored).count == 5)
        #expect(stored.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) })
    }
}
