public import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes one plain-text line per log record: time, level, label, metadata, source and message, as swift-log's
/// `StreamLogHandler` lays them out.
///
/// Unlike `StreamLogHandler`, every part that a caller can influence (the message, metadata keys and values) is
/// passed through ``LogTextEscaping``, so that a record is always exactly one line with no control characters.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let sink: LineSink

    /// - Parameter sink: where lines go; standard output unless a test captures them.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, sink: LineSink = .standardOutput) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata.merged(provider: self.metadataProvider, event: event.metadata)
        if let error = event.error {
            merged["error.message"] = .string("\(error)")
            merged["error.type"] = .string(String(reflecting: type(of: error)))
        }

        var line = Date().formatted(.iso8601)
        line += " \(event.level)"
        if !self.label.isEmpty { line += " " + LogTextEscaping.escaped(self.label) }
        line += ":"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " " + LogTextEscaping.escaped(key) + "=" + LogTextEscaping.escaped(value.description)
        }
        line += " [" + LogTextEscaping.escaped(event.source) + "] "
        line += LogTextEscaping.escaped(event.message.description)
        self.sink.write(line)
    }
}
