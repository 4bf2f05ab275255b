import Foundation

/// How Google's proto3 JSON mapping writes the well-known types that reach text outside a message: durations in
/// error messages (timestamps are ``Timestamp``'s).
enum ProtoJSON {
    static func formatDuration(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int64(seconds))s" : "\(seconds)s"
    }
}
