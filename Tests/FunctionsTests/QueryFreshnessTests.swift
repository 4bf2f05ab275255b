import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import RecordStore
import RecordStoreSQLite
import Testing

/// Repeated GETs may be answered from what the store read a moment ago, or with 304 to a client that holds the
/// answer, but never with one older than the last commit.
@Suite("query answers are never older than the last commit")
struct QueryFreshnessTests {
    static func ids(_ json: [String: Any]) -> [String] {
        (json["records"] as? [[String: Any]] ?? []).compactMap { $0["messageId"] as? String }
    }

    @Test("a message acknowledged by ingest is in the next answer to a repeated GET")
    func readsItsOwnWrites() async throws {
        let app = try await ReferenceApp()
        #expect(
            await app.ingest(message("m-1", publishTime: Date(timeIntervalSince1970: 1_790_000_000))).isAcknowledged
        )
        for _ in 0..<3 { #expect(Self.ids(try await app.get("/records?limit=10").json) == ["m-1"]) }

        #expect(
            await app.ingest(message("m-2", publishTime: Date(timeIntervalSince1970: 1_790_000_001))).isAcknowledged
        )
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
        let later = Timestamp(microsecondsSinceEpoch: 1_790_000_100_000_000)
        let theirs = Record(
            messageId: "theirs",
            subscription: "projects/p/subscriptions/ingest",
            publishTime: later,
            receivedAt: later
        )
        #expect(try await other.insert([theirs]) == [true])

        #expect(Self.ids(try await app.get("/records?limit=10").json) == ["theirs", "mine"])
        #expect(try await app.get("/records/theirs").status == 200)
    }

    @Test("an answer carries a strong ETag; asking again with it gets 304 and no body until a commit changes it")
    func conditionalGet() async throws {
        let app = try await ReferenceApp()
        #expect(
            await app.ingest(message("m-1", publishTime: Date(timeIntervalSince1970: 1_790_000_000))).isAcknowledged
        )
        let first = await app.client.send(path: "/query/records?limit=10")
        #expect(first.status == .ok)
        let tag = try #require(first.headerFields[.eTag])
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count > 2)
        #expect(first.headerFields[.cacheControl] == "no-cache")

        let again = await app.client.send(path: "/query/records?limit=10", headerFields: [.ifNoneMatch: tag])
        #expect(again.status == .notModified)
        #expect(again.body.isEmpty)
        #expect(again.headerFields[.eTag] == tag)
        let listed = await app.client.send(
            path: "/query/records?limit=10",
            headerFields: [.ifNoneMatch: "\"other\", W/\(tag)"]
        )
        #expect(listed.status == .notModified, "a list of tags, compared weakly, matches")
        #expect(
            await app.client.send(path: "/query/records?limit=10", headerFields: [.ifNoneMatch: "*"]).status
                == .notModified
        )
        let stale = await app.client.send(path: "/query/records?limit=10", headerFields: [.ifNoneMatch: "\"other\""])
        #expect(stale.status == .ok && stale.body == first.body)

        #expect(
            await app.ingest(message("m-2", publishTime: Date(timeIntervalSince1970: 1_790_000_001))).isAcknowledged
        )
        let changed = await app.client.send(path: "/query/records?limit=10", headerFields: [.ifNoneMatch: tag])
        #expect(changed.status == .ok)
        #expect(changed.headerFields[.eTag] != tag)
        #expect(
            Self.ids(try JSONSerialization.jsonObject(with: changed.body) as? [String: Any] ?? [:]) == ["m-2", "m-1"]
        )
    }

    @Test("errors carry no ETag, so a client never revalidates an error into a 304")
    func errorsAreNotTagged() async throws {
        let app = try await ReferenceApp()
        let missing = await app.client.send(path: "/query/records/nope", headerFields: [.ifNoneMatch: "*"])
        #expect(missing.status == .notFound)
        #expect(missing.headerFields[.eTag] == nil)
    }
}
