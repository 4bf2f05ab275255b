import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Testing

@Suite("input no store can keep is refused at the edge, never cut short")
struct HostileInputTests {
    @Test(
        "a message with NUL in an id, key or value is refused with 400 and stores nothing",
        arguments: [
            message("n1\u{0}a"),
            message("n2", attributes: ["key\u{0}x": "v"]),
            message("n3", attributes: ["key": "v\u{0}x"]),
            message("n4", orderingKey: "order\u{0}ing"),
        ]
    )
    func nulInMessage(pushed: PubSubMessage) async throws {
        let app = try await ReferenceApp()
        let outcome = await app.ingest(pushed)
        #expect(outcome.status == .badRequest)
        let (_, page) = try await app.get("/records")
        #expect((page["records"] as? [Any])?.isEmpty == true)
    }

    @Test("ids that differ only after a NUL are never taken for one message")
    func idsDifferingAfterNUL() async throws {
        let app = try await ReferenceApp()
        #expect(await app.ingest(message("n1\u{0}a")).status == .badRequest)
        #expect(await app.ingest(message("n1\u{0}b")).status == .badRequest)
        #expect(await app.ingest(message("n1")).status == .noContent)
        let (_, page) = try await app.get("/records")
        #expect((page["records"] as? [[String: Any]])?.map { $0["messageId"] as? String } == ["n1"])
    }

    @Test("attribute keys that would collide once cut at a NUL are refused, not a commit that fails for ever")
    func collidingKeys() async throws {
        let app = try await ReferenceApp()
        let outcome = await app.ingest(message("c1", attributes: ["k\u{0}1": "a", "k\u{0}2": "b"]))
        #expect(outcome.status == .badRequest)
        #expect(await app.ingest(message("c2")).status == .noContent)
    }

    @Test(
        "a query with NUL in a filter is a 400 naming the parameter",
        arguments: [
            "/records?orderingKey=a%00b", "/records?attributes.k%00x=v", "/stats?subscription=s%00", "/records/a%00b",
        ]
    )
    func nulInQuery(path: String) async throws {
        let app = try await ReferenceApp()
        let (status, body) = try await app.get(path)
        #expect(status == 400)
        #expect(ReferenceApp.errorMessage(body)?.contains("NUL") == true)
    }

    @Test("up to 32 attribute filters are served; the 33rd, or a thousand, is a 400 naming the cap")
    func manyFilters() async throws {
        let app = try await ReferenceApp()
        func path(_ count: Int) -> String {
            "/records?" + (0..<count).map { "attributes.k\($0)=v" }.joined(separator: "&")
        }
        #expect(try await app.get(path(32)).status == 200)
        for count in [33, 999, 2_000] {
            let (status, body) = try await app.get(path(count))
            #expect(status == 400)
            let message = ReferenceApp.errorMessage(body) ?? ""
            #expect(message.hasPrefix("parameter 'attributes.k32' "))
            #expect(message.contains("at most 32 attributes.<key> filters"))
        }
        let (status, _) = try await app.get("/stats?" + path(999).dropFirst("/records?".count))
        #expect(status == 400)
    }
}
