import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Testing

@Suite("query refuses bad parameters with a 400 naming them")
struct QueryParameterTests {
    @Test(
        "each bad parameter is a 400 INVALID_ARGUMENT whose message names it",
        arguments: [
            ("/records?colour=red", "colour"),
            ("/records?limit=0", "limit"),
            ("/records?limit=1001", "limit"),
            ("/records?limit=ten", "limit"),
            ("/records?limit=5&limit=6", "limit"),
            ("/records?from=yesterday", "from"),
            ("/records?to=2026-13-01T00:00:00Z", "to"),
            ("/records?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
            ("/records?cursor=not-a-cursor", "cursor"),
            ("/records?attributes.=x", "attributes."),
            ("/stats?bucket=week", "bucket"),
            ("/stats?groupBy=orderingKey", "groupBy"),
            ("/stats?limit=5", "limit"),
            ("/records/some-id?limit=5", "limit"),
        ]
    )
    func badParameter(path: String, parameter: String) async throws {
        let app = try await ReferenceApp()
        let (status, body) = try await app.get(path)
        #expect(status == 400)
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["status"] as? String == "INVALID_ARGUMENT")
        #expect((error["message"] as? String)?.contains("'\(parameter)'") == true)
    }

    @Test("a cursor that was altered is refused")
    func alteredCursor() async throws {
        let app = try await ReferenceApp()
        for index in 0..<3 { _ = await app.ingest(message("m\(index)")) }
        let (_, page) = try await app.get("/records?limit=1")
        var cursor = try #require(page["nextCursor"] as? String)
        let last = cursor.removeLast()
        cursor.append(last == "A" ? "B" : "A")
        let (status, body) = try await app.get("/records?limit=1&cursor=\(encoded(cursor))")
        #expect(status == 400)
        #expect(ReferenceApp.errorMessage(body)?.contains("cursor") == true)
    }

    @Test("a cursor from a query with other filters is refused")
    func cursorFromAnotherQuery() async throws {
        let app = try await ReferenceApp()
        for index in 0..<3 { _ = await app.ingest(message("m\(index)", attributes: ["a": "1"])) }
        let (_, page) = try await app.get("/records?limit=1&attributes.a=1")
        let cursor = try #require(page["nextCursor"] as? String)
        let (status, body) = try await app.get("/records?limit=1&attributes.a=2&cursor=\(encoded(cursor))")
        #expect(status == 400)
        #expect(ReferenceApp.errorMessage(body)?.contains("other filters") == true)
        let (sameStatus, _) = try await app.get("/records?limit=2&attributes.a=1&cursor=\(encoded(cursor))")
        #expect(sameStatus == 200)
    }

    @Test(
        "attribute keys and values with quotes, wildcards and SQL match only themselves",
        arguments: [
            "it's", "100%", "a_b", "*", "x\" OR 1=1 --", "'; DROP TABLE records; --", "%_%",
        ]
    )
    func literalAttributeMatch(value: String) async throws {
        let app = try await ReferenceApp()
        _ = await app.ingest(message("exact", attributes: [value: value]))
        _ = await app.ingest(message("other", attributes: [value: value + "x", "plain": "y"]))
        _ = await app.ingest(message("third", attributes: ["abc": "abc"]))
        let (status, page) = try await app.get("/records?attributes.\(encoded(value))=\(encoded(value))")
        #expect(status == 200)
        let ids = (page["records"] as? [[String: Any]])?.compactMap { $0["messageId"] as? String }
        #expect(ids == ["exact"])
    }

    @Test("an unknown record is a 404 and an unknown route is a 404")
    func notFound() async throws {
        let app = try await ReferenceApp()
        #expect(try await app.get("/records/nothing").status == 404)
        #expect(try await app.get("/elsewhere").status == 404)
    }

    @Test("the OpenAPI document is served")
    func openAPIDocument() async throws {
        let app = try await ReferenceApp()
        let (status, document) = try await app.get("/openapi.json")
        #expect(status == 200)
        #expect(document["openapi"] as? String == "3.1.0")
    }
}
