import ContrailKit
import Logging

/// Builds one JSON object on one line.
///
/// Written by hand rather than with `JSONEncoder` because it runs for every log line on the request path and
/// metadata values are already a closed set of cases.
struct JSONLineWriter {
    private var text = "{"
    private var isFirst = true

    mutating func field(_ key: String, string: String) {
        self.key(key)
        JSONString.append(string, to: &self.text)
    }

    mutating func field(_ key: String, raw: String) {
        self.key(key)
        self.text += raw
    }

    mutating func field(_ key: String, value: Logger.Metadata.Value) {
        self.key(key)
        Self.append(value, to: &self.text)
    }

    mutating func finish() -> String {
        self.text += "}"
        return self.text
    }

    private mutating func key(_ key: String) {
        if !self.isFirst { self.text += "," }
        self.isFirst = false
        JSONString.append(key, to: &self.text)
        self.text += ":"
    }

    static func append(_ value: Logger.Metadata.Value, to text: inout String) {
        switch value {
        case .string(let string):
            JSONString.append(string, to: &text)
        case .stringConvertible(let convertible):
            // Numbers and booleans stay numbers and booleans, so `httpRequest.status` is an integer.
            switch convertible {
            case let number as any BinaryInteger: text += "\(number)"
            case let number as Double where number.isFinite: text += "\(number)"
            case let flag as Bool: text += flag ? "true" : "false"
            default: JSONString.append(convertible.description, to: &text)
            }
        case .array(let values):
            text += "["
            for (index, element) in values.enumerated() {
                if index > 0 { text += "," }
                append(element, to: &text)
            }
            text += "]"
        case .dictionary(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                JSONString.append(key, to: &text)
                text += ":"
                append(members[key]!, to: &text)
            }
            text += "}"
        }
    }
}
