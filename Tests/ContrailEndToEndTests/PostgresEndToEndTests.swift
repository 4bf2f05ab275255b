import Foundation
import Testing

/// The PostgreSQL server the test command started (`CONTRAIL_TEST_POSTGRES_URL`), if any.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["CONTRAIL_TEST_POSTGRES_URL"]

    /// A new, empty database on that server, as a `DATABASE_URL`.
    static func freshDatabase() async throws -> String {
        let url = try #require(self.url)
        let name = "e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await runProcess(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", "CREATE DATABASE \(name)"])
        var components = try #require(URLComponents(string: url))
        components.path = "/\(name)"
        return try #require(components.string)
    }
}

@Suite("Several contrail serve processes sharing one PostgreSQL database", .enabled(if: TestPostgres.url != nil))
struct PostgresEndToEndTests {
    @Test("the same message delivered to two processes at the same moment yields one row and two 204s")
    func concurrentRedeliveryAcrossProcesses() async throws {
        let databaseURL = try await TestPostgres.freshDatabase()
        let first = try await ContrailProcess.start(environment: ["DATABASE_URL": databaseURL])
        defer { first.signal(SIGKILL) }
        let second = try await ContrailProcess.start(environment: ["DATABASE_URL": databaseURL])
        defer { second.signal(SIGKILL) }

        let statuses = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<60 {
                let body = pushBody(id: "shared-\(index)")
                for port in [first.port, second.port] {
                    group.addTask {
                        try await RawHTTPConnection(port: port).request("POST", "/ingest", body: body)?.status
                    }
                }
            }
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(statuses.count == 120)
        #expect(statuses.allSatisfy { $0 == 204 })
        let stored = try await storedIDs(port: first.port)
        #expect(stored.count == 60)
        #expect(Set(stored) == Set((0..<60).map { "shared-\($0)" }))
    }
}
