/// Makes text safe to write inside one line of a text log.
///
/// A logged value may come from a client (a message id, a path, an attribute). Written raw, a newline in it
/// forges a log line of the caller's choosing and an ESC sequence drives the terminal of whoever reads the log.
/// Every character that can end a line or control a terminal is written as a Swift string-literal escape:
/// `\n`, `\r`, `\t`, and `\u{1B}` for the rest of C0, DEL, C1 (U+0080–U+009F, NEL among them) and the Unicode
/// line and paragraph separators. A backslash stays as it is: it can do neither.
enum LogTextEscaping {
    static func escaped(_ text: String) -> String {
        // Nearly every value needs nothing, and is returned without copying.
        guard text.unicodeScalars.contains(where: Self.needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where Self.needsEscape(scalar):
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }
}
