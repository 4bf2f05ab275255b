import Foundation
import NIOCore
import Synchronization
import Testing

@Suite("Nothing acknowledged is lost")
struct DurabilityEndToEndTests {
    @Test("after SIGKILL in the middle of a burst, every message answered 204 is in the store on restart")
    func acknowledgedMessagesSurviveSigkill() async throws {
        let directory = temporaryDirectory()
        let environment = ["DATABASE_URL": "sqlite:" + directory.appendingPathComponent("store.sqlite").path]
        let host = try await ContrailProcess.start(environment: environment)
        let client = RawHTTPConnection(port: host.port)
        let acknowledged = Acknowledged()

        await withTaskGroup(of: Void.self) { group in
            for index in 0..<400 {
                group.addTask {
                    let id = "burst-\(index)"
                    guard let response = try? await client.request("POST", "/ingest", body: pushBody(id: id)),
                        response.status == 204
                    else { return }
                    let count = acknowledged.add(id)
                    // Kill the host the instant the 150th acknowledgement arrives, with the rest in flight.
                    if count == 150 { host.signal(SIGKILL) }
                }
            }
        }
        _ = await host.waitForExit()
        let acknowledgedIDs = acknowledged.ids
        #expect(acknowledgedIDs.count >= 150)

        let restarted = try await ContrailProcess.start(environment: environment)
        defer { restarted.signal(SIGKILL) }
        let stored = try await storedIDs(port: restarted.port)
        let missing = Set(acknowledgedIDs).subtracting(stored)
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.sorted().prefix(10))")
        #expect(Set(stored).count == stored.count, "no message is stored twice")
    }
}

/// The ids answered 204 so far, shared by the burst's tasks.
final class Acknowledged: Sendable {
    private let state = Mutex<[String]>([])

    /// Records `id` and returns how many have been recorded.
    func add(_ id: String) -> Int {
        self.state.withLock {
            $0.append(id)
            return $0.count
        }
    }

    var ids: [String] { self.state.withLock { $0 } }
}

/// Every messageId the query API lists, following nextCursor.
func storedIDs(port: Int, prefix: String = "/query") async throws -> [String] {
    let client = RawHTTPConnection(port: port)
    var ids: [String] = []
    var cursor: String?
    repeat {
        var path = prefix + "/records?limit=1000"
        if let cursor {
            path += "&cursor=" + (cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor)
        }
        let page = try #require(try await client.request("GET", path)?.json)
        ids += (page["records"] as? [[String: Any]] ?? []).compactMap { $0["messageId"] as? String }
        cursor = page["nextCursor"] as? String
    } while cursor != nil
    return ids
}
