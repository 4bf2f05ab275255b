import Foundation
import Testing

@Suite("A store outage", .enabled(if: TemporaryPostgresServer.isAvailable))
struct StoreOutageEndToEndTests {
    @Test("makes ingest answer 500 and health 503, and the host recovers by itself when the store returns")
    func outageAndRecovery() async throws {
        let server = try await TemporaryPostgresServer.start()
        let host = try await ContrailProcess.start(environment: ["DATABASE_URL": server.url])
        defer { host.signal(SIGKILL) }
        let client = RawHTTPConnection(port: host.port)
        #expect(try await client.request("POST", "/ingest", body: pushBody(id: "before"))?.status == 204)
        #expect(try await client.request("GET", "/_/health")?.status == 200)

        try await server.stop()
        let during = try await client.request("POST", "/ingest", body: pushBody(id: "during"))
        #expect(during?.status == 500)
        #expect(during?.headers["x-google-status"] == "error")
        let health = try await client.request("GET", "/_/health")
        #expect(health?.status == 503)
        #expect((health?.json?["reason"] as? String)?.contains("store") == true)

        try await server.start()
        var recovered = false
        for _ in 0..<150 where !recovered {
            recovered = try await client.request("GET", "/_/health")?.status == 200
            if !recovered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(recovered, "health did not return to 200 within 15 s of the store coming back")
        #expect(try await client.request("POST", "/ingest", body: pushBody(id: "during"))?.status == 204)
        #expect(Set(try await storedIDs(port: host.port)) == ["before", "during"])
        await server.remove()
    }
}
