import Foundation
import Testing

@Suite("contrail dev runs the whole pipeline on one machine")
struct DevEndToEndTests {
    @Test("a message published with contrail publish is pushed to ingest and served by query")
    func publishToQuery() async throws {
        let directory = temporaryDirectory()
        let hostPort = try freePort()
        let pubsubPort = try freePort()
        let dev = try await ContrailProcess.start(
            [
                "dev", "--pubsub-port", "\(pubsubPort)", "--pubsub-state",
                directory.appendingPathComponent("pubsub.sqlite").path, "--console-port", "\(try freePort())",
            ],
            environment: ["PORT": "\(hostPort)"]
        )
        defer { dev.signal(SIGKILL) }
        try await waitFor("the pipeline to be ready") {
            dev.logLines.contains { $0["message"] as? String == "pipeline ready" }
        }

        let (status, stderr) = try await ContrailProcess.run(
            ["publish", "--topic", "events", "--data", #"{"reading":7}"#, "--attribute", "site=lab", "--count", "3"],
            environment: ["PUBSUB_EMULATOR_HOST": "127.0.0.1:\(pubsubPort)"]
        )
        #expect(status == 0, "publish failed: \(stderr)")

        var stored: [String] = []
        try await waitFor("three records to be queryable") {
            stored = (try? await storedIDs(port: hostPort)) ?? []
            return stored.count == 3
        }
        let record = try #require(
            try await RawHTTPConnection(port: hostPort).request("GET", "/query/records/\(stored[0])")?.json
        )
        #expect(record["topic"] as? String == "projects/local-project/topics/events")
        #expect(record["subscription"] as? String == "projects/local-project/subscriptions/ingest-push")
        #expect((record["data"] as? [String: Any])?["reading"] as? Int == 7)
        #expect(record["attributes"] as? [String: String] == ["site": "lab"])
    }

    @Test("contrail publish without a reachable service is a one-line error")
    func publishWithoutService() async throws {
        let (status, stderr) = try await ContrailProcess.run(
            ["publish", "--topic", "events", "--data", "x"],
            environment: ["PUBSUB_EMULATOR_HOST": "127.0.0.1:\(try freePort())"]
        )
        #expect(status != 0)
        #expect(stderr.contains("cannot reach the Pub/Sub service"))
    }
}

/// Polls `condition` every 50 ms for at most `seconds`.
func waitFor(_ what: String, seconds: Int = 15, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out waiting for \(what)")
}
