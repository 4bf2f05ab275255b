/// Writes a string as a JSON string literal, for code that builds JSON text by hand on a hot path (log lines,
/// query responses) where `JSONEncoder` would cost more than the rest of the work.
public enum JSONString {
    /// Appends `string` to `text`, quoted and escaped. U+2028 and U+2029 are escaped too, so the output is also
    /// safe inside JavaScript.
    public static func append(_ string: String, to text: inout String) {
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
