/// Builds JSON text by hand, for output written on every request (log lines, query answers, stored attributes)
/// where `JSONEncoder`'s generic containers would cost more than the rest of the work, or where a member must carry
/// JSON text that is already valid (a stored payload) verbatim.
///
/// Members and elements are separated as they are added; the caller opens and closes objects and arrays in order.
public struct JSONWriter: Sendable {
    public private(set) var text = ""
    /// Per open object or array: whether nothing has been written in it yet.
    private var isFirst: [Bool] = []
    private var followsKey = false

    public init() {}

    public mutating func beginObject() {
        self.separate()
        self.text += "{"
        self.isFirst.append(true)
    }

    public mutating func endObject() {
        self.text += "}"
        self.isFirst.removeLast()
    }

    public mutating func beginArray() {
        self.separate()
        self.text += "["
        self.isFirst.append(true)
    }

    public mutating func endArray() {
        self.text += "]"
        self.isFirst.removeLast()
    }

    /// Starts a member of the open object; its value follows.
    public mutating func key(_ key: String) {
        self.separate()
        Self.appendQuoted(key, to: &self.text)
        self.text += ":"
        self.followsKey = true
    }

    public mutating func string(_ value: String) {
        self.separate()
        Self.appendQuoted(value, to: &self.text)
    }

    public mutating func number(_ value: some BinaryInteger) {
        self.separate()
        self.text += String(value)
    }

    public mutating func bool(_ value: Bool) {
        self.separate()
        self.text += value ? "true" : "false"
    }

    /// Text that is already one valid JSON value, written as it is.
    public mutating func json(_ value: String) {
        self.separate()
        self.text += value
    }

    /// `key` and a string value.
    public mutating func member(_ key: String, _ value: String) {
        self.key(key)
        self.string(value)
    }

    /// `key` and a number.
    public mutating func member(_ key: String, _ value: some BinaryInteger) {
        self.key(key)
        self.number(value)
    }

    private mutating func separate() {
        // A member's value follows its key with no comma.
        if self.followsKey {
            self.followsKey = false
            return
        }
        guard let last = self.isFirst.indices.last else { return }
        if self.isFirst[last] {
            self.isFirst[last] = false
        } else {
            self.text += ","
        }
    }

    /// Appends `string` quoted and escaped. U+2028 and U+2029 are escaped too, so the output is also safe inside
    /// JavaScript.
    private static func appendQuoted(_ string: String, to text: inout String) {
        // Most values need no escaping at all; appending them whole is far cheaper than scalar by scalar.
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 < 0xE2 }) {
            text += "\""
            text += string
            text += "\""
            return
        }
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
