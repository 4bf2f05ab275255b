import Foundation
import Testing

/// Handlers run on the event loops, and listings read SQLite on the thread that asks. Nothing on an event loop
/// may wait for something that needs an event loop to finish, or the host stops answering for good.
@Suite("contrail serve under concurrent reads")
struct ConcurrentReadsEndToEndTests {
    @Test("listings read on the event loops never wait behind reads that need an event loop to finish")
    func readsNeverDeadlock() async throws {
        let host = try await ContrailProcess.start()
        defer { host.signal(SIGKILL) }
        // A host that stops answering would hang the test: kill it instead, so the requests fail.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(120))
            host.signal(SIGKILL)
        }
        defer { watchdog.cancel() }
        let client = RawHTTPConnection(port: host.port)
        for id in 0..<10 {
            #expect(try await client.request("POST", "/ingest", body: pushBody(id: "m-\(id)"))?.status == 204)
        }

        // Health checks read the store asynchronously, and so does the first cursor's signing key. Every listing
        // has its own URL (a `from` a microsecond apart), so none is a cached answer and each reads the store on
        // the calling event loop; with 10 records and a limit of 5 each also signs a cursor.
        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            for worker in 0..<64 {
                group.addTask {
                    var statuses: [Int] = []
                    for request in 0..<30 {
                        let path =
                            request.isMultiple(of: 2)
                            ? "/_/health"
                            : "/query/records?limit=5&from=2020-01-01T00:00:00.\(String(format: "%03d%03d", worker, request))Z"
                        statuses.append(try await client.request("GET", path)?.status ?? 0)
                    }
                    return statuses
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.count == 64 * 30)
        #expect(statuses.allSatisfy { $0 == 200 }, "statuses other than 200: \(Set(statuses).subtracting([200]))")
    }
}
