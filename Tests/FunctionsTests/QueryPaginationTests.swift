import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Testing

@Suite("query walks every record exactly once")
struct QueryPaginationTests {
    /// 2,000 messages over ~33 hours, three colours, some delivered twice, some with an ordering key.
    static func ingestCorpus(
        into app: ReferenceApp
    ) async throws -> [(id: String, time: Int, color: String, key: String?)] {
        var corpus: [(id: String, time: Int, color: String, key: String?)] = []
        let colors = ["red", "green", "blue"]
        for index in 0..<2000 {
            // Every fifth timestamp repeats the previous one, so ties on publishTime are broken by messageId.
            let time = 1_790_000_000 + (index - (index % 5 == 4 ? 1 : 0)) * 60
            corpus.append(
                (
                    String(format: "msg-%05d", (index * 7919) % 2000), time, colors[index % 3],
                    index % 4 == 0 ? "k\(index % 8)" : nil
                )
            )
        }
        for batch in stride(from: 0, to: corpus.count, by: 100) {
            await withTaskGroup(of: Void.self) { group in
                for entry in corpus[batch..<min(batch + 100, corpus.count)] {
                    group.addTask {
                        let pushed = message(
                            entry.id,
                            attributes: ["color": entry.color],
                            publishTime: Date(timeIntervalSince1970: TimeInterval(entry.time)),
                            orderingKey: entry.key
                        )
                        let first = await app.ingest(pushed)
                        precondition(first.isAcknowledged)
                        if entry.time % 3 == 0 {
                            let again = await app.ingest(pushed)
                            precondition(again.isAcknowledged)
                        }
                    }
                }
            }
        }
        return corpus
    }

    /// Every id on every page, following nextCursor to the end.
    static func walk(_ app: ReferenceApp, query: String, limit: Int) async throws -> [(id: String, time: String)] {
        var seen: [(id: String, time: String)] = []
        var cursor: String?
        repeat {
            var path = "/records?limit=\(limit)" + (query.isEmpty ? "" : "&" + query)
            if let cursor { path += "&cursor=\(encoded(cursor))" }
            let (status, page) = try await app.get(path)
            #expect(status == 200)
            let records = try #require(page["records"] as? [[String: Any]])
            seen += records.map { ($0["messageId"] as! String, $0["publishTime"] as! String) }
            cursor = page["nextCursor"] as? String
        } while cursor != nil
        return seen
    }

    @Test("walking every page finds each message once, newest first, and /stats agrees with a count made here")
    func walksEverything() async throws {
        let app = try await ReferenceApp()
        let corpus = try await Self.ingestCorpus(into: app)

        let all = try await Self.walk(app, query: "", limit: 137)
        #expect(all.count == corpus.count)
        #expect(Set(all.map(\.id)) == Set(corpus.map(\.id)))
        let expectedOrder = corpus.sorted { ($0.time, $0.id) > ($1.time, $1.id) }.map(\.id)
        #expect(all.map(\.id) == expectedOrder)

        let red = try await Self.walk(app, query: "attributes.color=red", limit: 50)
        #expect(
            red.map(\.id)
                == corpus.filter { $0.color == "red" }.sorted { ($0.time, $0.id) > ($1.time, $1.id) }.map(\.id)
        )

        let keyed = try await Self.walk(app, query: "orderingKey=k4&attributes.color=green", limit: 9)
        #expect(Set(keyed.map(\.id)) == Set(corpus.filter { $0.key == "k4" && $0.color == "green" }.map(\.id)))

        let from = 1_790_000_000 + 600 * 60
        let to = 1_790_000_000 + 900 * 60
        let window = try await Self.walk(
            app,
            query: "from=\(encoded(rfc3339(from)))&to=\(encoded(rfc3339(to)))",
            limit: 100
        )
        #expect(window.count == corpus.filter { $0.time >= from && $0.time < to }.count)

        let (_, stats) = try await app.get("/stats?bucket=hour&groupBy=attributes.color")
        #expect(stats["total"] as? Int == corpus.count)
        let buckets = try #require(stats["buckets"] as? [[String: Any]])
        var perHour: [String: Int] = [:]
        for entry in corpus { perHour[rfc3339(entry.time - entry.time % 3600), default: 0] += 1 }
        #expect(buckets.count == perHour.count)
        for bucket in buckets {
            let start = try #require(bucket["start"] as? String)
            #expect(bucket["count"] as? Int == perHour[start])
            let groups = try #require(bucket["groups"] as? [String: Int])
            #expect(groups.values.reduce(0, +) == perHour[start])
        }
        let (_, redStats) = try await app.get("/stats?bucket=day&attributes.color=red")
        #expect(redStats["total"] as? Int == corpus.filter { $0.color == "red" }.count)
    }
}

func rfc3339(_ seconds: Int) -> String {
    Timestamp(microsecondsSinceEpoch: Int64(seconds) * 1_000_000).rfc3339
}
