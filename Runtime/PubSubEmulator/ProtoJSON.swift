import Foundation

/// How Google's proto3 JSON mapping writes the well-known types that reach text outside a message: durations in
/// error messages, timestamps in push bodies and headers.
enum ProtoJSON {
    static func formatDuration(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int64(seconds))s" : "\(seconds)s"
    }

    /// RFC 3339 in UTC with a `Z`, from microseconds since the epoch.
    static func timestamp(micros: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
