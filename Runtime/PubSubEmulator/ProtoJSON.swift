import Foundation

/// Google's proto3 JSON mapping for the few well-known types the emulator reads and writes.
enum ProtoJSON {
    /// Parses a Duration such as `"10s"` or `"3.5s"` into seconds.
    static func duration(_ value: Any?, field: String) throws(PubSubError) -> Double? {
        guard let value else { return nil }
        guard let text = value as? String, text.hasSuffix("s"), let seconds = Double(text.dropLast()), seconds.isFinite
        else { throw .invalid("Invalid value at '\(field)': expected a duration such as \"10s\".") }
        return seconds
    }

    static func formatDuration(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int64(seconds))s" : "\(seconds)s"
    }

    /// Reads an int32 given as a JSON number or a decimal string.
    static func int(_ value: Any?, field: String) throws(PubSubError) -> Int? {
        guard let value else { return nil }
        if let number = value as? Double, number == number.rounded(), abs(number) < 1e15 { return Int(number) }
        if let text = value as? String, let number = Int(text) { return number }
        throw .invalid("Invalid value at '\(field)' (TYPE_INT32): \(value)")
    }

    static func bool(_ value: Any?, field: String) throws(PubSubError) -> Bool? {
        guard let value else { return nil }
        guard let flag = value as? Bool else { throw .invalid("Invalid value at '\(field)' (TYPE_BOOL): \(value)") }
        return flag
    }

    static func string(_ value: Any?, field: String) throws(PubSubError) -> String? {
        guard let value else { return nil }
        guard let text = value as? String else { throw .invalid("Invalid value at '\(field)' (TYPE_STRING): \(value)") }
        return text
    }

    /// RFC 3339 in UTC with a `Z`, from microseconds since the epoch.
    static func timestamp(micros: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
