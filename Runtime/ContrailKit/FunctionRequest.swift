public import HTTPTypes

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// An HTTP request as an ``HTTPFunction`` receives it.
public struct FunctionRequest: Sendable {
    /// Method, headers and the path below the function's mount point (always starting with `/`), query included.
    public var head: HTTPRequest
    /// The whole body, read by the host within Cloud Run's 32 MiB request limit.
    public var body: Data

    public init(head: HTTPRequest, body: Data = Data()) {
        self.head = head
        self.body = body
    }

    public var method: HTTPRequest.Method { self.head.method }
    public var headerFields: HTTPFields { self.head.headerFields }

    /// The path below the mount point, without the query.
    ///
    /// Separators are found as bytes, as form encoding defines them: a combining mark right after `?`, `&` or `=`
    /// would otherwise make one Character with it and hide it.
    public var path: String {
        let full = self.head.path ?? "/"
        guard let mark = full.utf8.firstIndex(of: UInt8(ascii: "?")) else { return full }
        return String(Substring(full.utf8[..<mark]))
    }

    /// The raw query string after `?`, or an empty string.
    public var query: String {
        guard let full = self.head.path, let mark = full.utf8.firstIndex(of: UInt8(ascii: "?")) else { return "" }
        return String(Substring(full.utf8[full.utf8.index(after: mark)...]))
    }

    /// The query's `name=value` pairs in order, percent- and `+`-decoded; repeated names appear repeatedly.
    ///
    /// - Throws: ``FunctionError`` (400) when a name or value is not valid percent-encoded UTF-8.
    public func queryItems() throws(FunctionError) -> [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        let query = self.query
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.formDecode(parts[0]) else {
                throw FunctionError(
                    .badRequest,
                    "query parameter name '\(Substring(parts[0]))' is not valid percent-encoding"
                )
            }
            let rawValue = parts.count > 1 ? parts[1] : query.utf8[query.utf8.endIndex...]
            guard let value = Self.formDecode(rawValue) else {
                throw FunctionError(
                    .badRequest,
                    "query parameter '\(name)' has a value that is not valid percent-encoding"
                )
            }
            items.append((name, value))
        }
        return items
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; the bytes must be UTF-8.
    private static func formDecode(_ component: Substring.UTF8View) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.count)
        var iterator = component.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Self.hexValue),
                    let low = iterator.next().flatMap(Self.hexValue)
                else { return nil }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
