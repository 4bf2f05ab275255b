import ContrailKit
import Foundation

/// The `attributes` column: a message's attributes as one flat JSON object of strings, keys sorted.
///
/// Every page of a listing decodes one per row and every insert encodes one, and Foundation's coders go through
/// `Codable`'s generic containers for what is only ever an object of strings. Text this reader does not expect (never written by
/// ``encode(_:)``, but a column is only text) falls back to `JSONDecoder`, so the two agree on everything valid.
enum AttributesJSON {
    static func encode(_ attributes: [String: String]) -> String {
        if attributes.isEmpty { return "{}" }
        var json = JSONWriter()
        json.beginObject()
        for key in attributes.keys.sorted() { json.member(key, attributes[key]!) }
        json.endObject()
        return json.text
    }

    static func decode(_ text: String) throws -> [String: String] {
        if text == "{}" { return [:] }
        var text = text
        if let attributes = text.withUTF8({ bytes in
            var reader = FlatObjectReader(bytes: bytes)
            return reader.read()
        }) {
            return attributes
        }
        return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}

/// Reads `{"key":"value",...}` and nothing else; `nil` for anything outside that shape.
private struct FlatObjectReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func read() -> [String: String]? {
        guard self.consume(UInt8(ascii: "{")) else { return nil }
        var result: [String: String] = [:]
        if self.consume(UInt8(ascii: "}")) { return self.atEnd ? result : nil }
        repeat {
            guard let key = self.string(), self.consume(UInt8(ascii: ":")), let value = self.string() else {
                return nil
            }
            result[key] = value
        } while self.consume(UInt8(ascii: ","))
        guard self.consume(UInt8(ascii: "}")), self.atEnd else { return nil }
        return result
    }

    private var atEnd: Bool {
        mutating get {
            self.skipWhitespace()
            return self.index == self.bytes.count
        }
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count,
            [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains(
                self.bytes[self.index]
            )
        {
            self.index += 1
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        self.skipWhitespace()
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }

    /// A string without escapes is copied in one piece; one with escapes is left to `JSONDecoder`, which is rare
    /// enough (quotes, backslashes or control characters in an attribute) not to be worth a second decoder.
    private mutating func string() -> String? {
        guard self.consume(UInt8(ascii: "\"")) else { return nil }
        let start = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                defer { self.index += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            self.index += 1
        }
        return nil
    }
}
