import ContrailKit
import ContrailTesting
import Foundation
import RecordStore
import RecordStoreSQLite
import Testing

/// The query function keeps answers to repeated GETs, but never one older than the last commit.
@Suite("query answers are never older than the last commit")
struct QueryCacheTests {
    static func ids(_ json: [String: Any]) -> [String] {
        (json["records"] as? [[String: Any]] ?? []).compactMap { $0["messageId"] as? String }
    }

    @Test("a message acknowledged by ingest is in the next answer to a repeated GET")
    func readsItsOwnWrites() async throws {
        let app = try await ReferenceApp()
        #expect(await app.ingest(message("m-1", publishTime: Date(timeIntervalSince1970: 1_790_000_000))).isAcknowledged)
        for _ in 0..<3 { #expect(Self.ids(try await app.get("/records?limit=10").json) == ["m-1"]) }

        #expect(await app.ingest(message("m-2", publishTime: Date(timeIntervalSince1970: 1_790_000_001))).isAcknowledged)
        #expect(Self.ids(try await app.get("/records?limit=10").json) == ["m-2", "m-1"])
        #expect(try await app.get("/records/m-2").status == 200)
        #expect(try await app.get("/stats").json["total"] as? Int == 2)
    }

    @Test("a record committed by another process is in the next answer")
    func seesOtherWriters() async throws {
        let app = try await ReferenceApp()
        #expect(await app.ingest(message("mine")).isAcknowledged)
        #expect(Self.ids(try await app.get("/records?limit=10").json) == ["mine"])
        #expect(try await app.get("/records/theirs").status == 404)

        // A second store on the same file has connections of its own, as another `contrail serve` would.
        let other = try SQLiteRecordStore(path: app.directory.appendingPathComponent("store.sqlite").path)
        let theirs = Record(
            messageId: "theirs",
            subscription: "projects/p/subscriptions/ingest",
            publishTime: 1_790_000_100_000_000,
            receivedAt: 1_790_000_100_000_000
        )
        #expect(try await other.insert([theirs]) == [true])

        #expect(Self.ids(try await app.get("/records?limit=10").json) == ["theirs", "mine"])
        #expect(try await app.get("/records/theirs").status == 200)
    }
}
