import ContrailKit
import HTTPTypes
import RecordStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// libFuzzer's entry point: every input is the query string of a query API request, read for each route.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryParameters(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let query = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let request = QueryRequest.make(query: query)
    guard let items = QueryItemProperties.check(request) else { return 0 }
    for route in [QueryParameters.Route.records, .record, .stats] {
        QueryParameterProperties(items: items, route: route).check()
    }
    return 0
}

enum QueryRequest {
    static func make(query: String) -> FunctionRequest {
        FunctionRequest(
            head: HTTPRequest(method: .get, scheme: "https", authority: "fuzz.invalid", path: "/records?" + query)
        )
    }

    static func items(_ request: FunctionRequest) -> Result<[QueryItem], FunctionError> {
        do {
            return .success(try request.queryItems().map { QueryItem(name: $0.name, value: $0.value) })
        } catch {
            return .failure(error)
        }
    }
}

struct QueryItem: Hashable {
    var name: String
    var value: String
}

/// The form decoding of the query string.
enum QueryItemProperties {
    /// The decoded items, when the query decodes.
    static func check(_ request: FunctionRequest) -> [(name: String, value: String)]? {
        expect(request.path == "/records", "the query leaked into the path: \(request.path)")
        let query = request.query
        let first = QueryRequest.items(request)
        let second = QueryRequest.items(request)
        switch (first, second) {
        case (.success(let items), .success(let again)):
            expect(items == again, "decoding \(query) twice gave \(items) then \(again)")
            // Form encoding is defined on bytes: a combining mark after `&` or `=` must not hide the separator.
            let pairs = query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true)
            expect(items.count == pairs.count, "\(query) has \(pairs.count) pairs but decoded to \(items)")
            for (item, pair) in zip(items, pairs) {
                let hasValue = pair.contains(UInt8(ascii: "="))
                let nameBytes = hasValue ? pair[..<pair.firstIndex(of: UInt8(ascii: "="))!] : pair[...]
                expect(
                    !item.name.utf8.contains(UInt8(ascii: "=")) || nameBytes.contains(UInt8(ascii: "%")),
                    "the name of \(item) swallowed the '=' of \(String(decoding: pair, as: UTF8.self))"
                )
            }
            let encoded = items.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
            let reread = QueryRequest.items(QueryRequest.make(query: encoded))
            expect(reread == .success(items), "\(items) encoded as \(encoded) decodes to \(reread)")
            return items.map { ($0.name, $0.value) }
        case (.failure(let error), .failure(let again)):
            expect(error == again, "decoding \(query) twice failed with \(error) then \(again)")
            expect(error.code == .badRequest, "an undecodable query is not a 400: \(error)")
            // Whatever the path holds is valid UTF-8 already; only an escape can make bytes that are not.
            expect(query.utf8.contains(UInt8(ascii: "%")), "\(query) has no escape yet was refused: \(error)")
            return nil
        default:
            expect(false, "decoding \(query) twice gave \(first) then \(second)")
            return nil
        }
    }

    /// Percent-encodes every byte but the unreserved ones, which any form decoder must read back unchanged.
    static func encode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return encoded
    }
}

/// What the query API promises about the parameters it accepts and the ones it refuses (see `openapi.json`).
struct QueryParameterProperties {
    let items: [(name: String, value: String)]
    let route: QueryParameters.Route

    /// The parsed parameters in a comparable form.
    struct Summary: Hashable {
        var filter: RecordFilter
        var limit: Int
        var cursor: String?
        var bucket: StatsBucket
        var groupBy: String?
    }

    func check() {
        let first = self.parse()
        let second = self.parse()
        switch (first, second) {
        case (.success(let parameters), .success(let again)):
            expect(parameters == again, "parsing twice gave \(parameters) then \(again)")
            self.checkAccepted(parameters)
        case (.failure(let error), .failure(let again)):
            expect(error == again, "parsing twice failed with \(error) then \(again)")
            self.checkRefused(error)
        default:
            expect(false, "parsing \(self.items) twice gave \(first) then \(second)")
        }
    }

    private func parse() -> Result<Summary, FunctionError> {
        do {
            let parameters = try QueryParameters(self.items, route: self.route)
            return .success(
                Summary(
                    filter: parameters.filter,
                    limit: parameters.limit,
                    cursor: parameters.cursor,
                    bucket: parameters.bucket,
                    groupBy: parameters.groupBy
                )
            )
        } catch {
            return .failure(error)
        }
    }

    private func value(_ name: String) -> String? {
        self.items.first { $0.name == name }?.value
    }

    private func checkAccepted(_ parameters: Summary) {
        let prefix = QueryParameters.attributePrefix
        var seen: Set<String> = []
        for (name, _) in self.items where !(self.route.allowsAttributes && name.hasPrefix(prefix)) {
            expect(self.route.allowed.contains(name), "\(self.route) accepted unknown parameter \(name)")
            expect(seen.insert(name).inserted, "\(self.route) accepted \(name) twice")
        }

        expect(QueryParameters.limitRange.contains(parameters.limit), "limit \(parameters.limit) is out of range")
        expect(parameters.limit == self.value("limit").flatMap { Int($0) } ?? 100, "limit is not the one asked for")

        expect(parameters.cursor == self.value("cursor"), "cursor \(String(describing: parameters.cursor)) was altered")
        expect(parameters.cursor != "", "an empty cursor was accepted")

        let filter = parameters.filter
        expect(filter.from == self.value("from").flatMap { Timestamp(rfc3339: $0) }, "from was altered")
        expect(filter.to == self.value("to").flatMap { Timestamp(rfc3339: $0) }, "to was altered")
        if let from = filter.from, let to = filter.to {
            expect(from <= to, "from \(from) is after to \(to)")
        }
        for bound in [filter.from, filter.to].compactMap({ $0 }) {
            checkTimestampRoundTrip(bound)
        }
        expect(filter.orderingKey == self.value("orderingKey"), "orderingKey was altered")
        expect(filter.subscription == self.value("subscription"), "subscription was altered")

        let attributes = self.items.filter { self.route.allowsAttributes && $0.name.hasPrefix(prefix) }.map {
            RecordFilter.AttributeMatch(key: String($0.name.dropFirst(prefix.count)), value: $0.value)
        }
        expect(filter.attributes == attributes, "attribute filters \(filter.attributes) are not \(attributes)")
        expect(filter.attributes.allSatisfy { !$0.key.isEmpty }, "an attribute filter without a key was accepted")

        expect(parameters.bucket == self.value("bucket").flatMap(StatsBucket.init(rawValue:)) ?? .hour, "bucket")
        if let groupBy = parameters.groupBy {
            expect(!groupBy.isEmpty, "an empty groupBy was accepted")
            expect(self.value("groupBy") == prefix + groupBy, "groupBy \(groupBy) is not the attribute asked for")
        }
    }

    /// Every problem is a 400 that names the parameter at fault.
    private func checkRefused(_ error: FunctionError) {
        expect(error.code == .badRequest, "a refused query is not a 400: \(error)")
        let named =
            error.message == "parameter 'from' is after 'to'"
            || self.items.contains {
                error.message.hasPrefix("parameter '\($0.name)' ")
                    || error.message.hasPrefix("unknown parameter '\($0.name)'")
            }
        expect(named, "the refusal '\(error.message)' names no parameter of \(self.items)")
    }
}
