import ContrailKit
import Foundation
import HTTPTypes
import Testing

@Suite("Function requests")
struct FunctionRequestTests {
    private func request(_ path: String?) -> FunctionRequest {
        FunctionRequest(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: path))
    }

    @Test(
        "The path and the query are split at the first '?'",
        arguments: [
            ("/a/b?x=1&y=2", "/a/b", "x=1&y=2"),
            ("/a/b", "/a/b", ""),
            ("/", "/", ""),
            ("/a?", "/a", ""),
            ("/a?x=1?y=2", "/a", "x=1?y=2"),
            ("/?q", "/", "q"),
        ]
    )
    func pathAndQuery(full: String, path: String, query: String) {
        let request = self.request(full)
        #expect(request.path == path)
        #expect(request.query == query)
    }

    @Test("Separators are bytes: a combining mark after '?', '&' or '=' does not hide them")
    func combiningMarksAfterSeparators() throws {
        let request = self.request("/records?\u{301}limit=5&\u{301}subscription=x&orderingKey=\u{301}k")
        #expect(request.path == "/records")
        let items = try request.queryItems()
        #expect(items.map(\.name) == ["\u{301}limit", "\u{301}subscription", "orderingKey"])
        #expect(items.map(\.value) == ["5", "x", "\u{301}k"])
    }

    @Test("A request without a path has path '/' and an empty query")
    func missingPath() {
        let request = self.request(nil)
        #expect(request.path == "/")
        #expect(request.query == "")
    }

    @Test("Query items decode '+' and '%20' as spaces")
    func plusAndPercentDecodeToSpace() throws {
        let items = try self.request("/?a=hello+world&b=hello%20world&c%20d=e").queryItems()
        #expect(items.map(\.name) == ["a", "b", "c d"])
        #expect(items.map(\.value) == ["hello world", "hello world", "e"])
    }

    @Test("Repeated names appear once per occurrence, in order")
    func repeatedNames() throws {
        let items = try self.request("/?tag=a&x=1&tag=b&tag=").queryItems()
        #expect(items.map(\.name) == ["tag", "x", "tag", "tag"])
        #expect(items.map(\.value) == ["a", "1", "b", ""])
    }

    @Test("Encoded reserved characters and UTF-8 decode; empty pairs are skipped; a bare name has an empty value")
    func encodedCharacters() throws {
        let items = try self.request("/?&a%3Db=c%26d&&caf%C3%A9=%E2%9C%93&flag&v=1=2").queryItems()
        #expect(items.map(\.name) == ["a=b", "café", "flag", "v"])
        #expect(items.map(\.value) == ["c&d", "✓", "", "1=2"])
    }

    @Test("No query gives no items")
    func noQuery() throws {
        #expect(try self.request("/records").queryItems().isEmpty)
    }

    @Test(
        "Invalid percent-encoding throws FunctionError with badRequest",
        arguments: ["/?q=%zz", "/?q=%4", "/?q=%", "/?q=%C3", "/?q=%FF%FE", "/?%zz=1"]
    )
    func invalidPercentEncodingThrows(path: String) throws {
        let error = #expect(throws: FunctionError.self) { try self.request(path).queryItems() }
        #expect(error?.code == .badRequest)
        #expect(error?.code.status == .badRequest)
        #expect(error?.message.contains("percent-encoding") == true)
    }

    @Test("The error for a bad value names the parameter")
    func badValueNamesParameter() throws {
        let error = #expect(throws: FunctionError.self) { try self.request("/?limit=%zz").queryItems() }
        #expect(error?.message.contains("'limit'") == true)
    }
}
