import ContrailKit
public import Logging
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one Cloud Logging structured line (a JSON object) per log record.
///
/// Cloud Run's logging agent lifts `severity`, `message`, `time`, `httpRequest` and the
/// `logging.googleapis.com/*` keys out of the line; every other metadata value stays in `jsonPayload`.
/// Trace metadata (`trace_id`, `span_id`, `trace_sampled`) becomes Cloud Logging's trace fields so that log lines
/// group under their request in the Cloud Console.
public struct CloudLoggingLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let labels: [String: String]
    private let projectID: String?
    private let sink: LineSink

    /// - Parameters:
    ///   - labels: added to every line as `logging.googleapis.com/labels`.
    ///   - projectID: qualifies trace ids as `projects/<id>/traces/<trace>`, the form Cloud Logging links.
    ///   - sink: where lines go; standard output unless a test captures them.
    public init(
        label: String,
        labels: [String: String] = [:],
        projectID: String? = nil,
        sink: LineSink = .standardOutput
    ) {
        self.label = label
        self.labels = labels
        self.projectID = projectID
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata.merged(provider: self.metadataProvider, event: event.metadata)

        var line = JSONWriter()
        line.beginObject()
        line.member("severity", Self.severity(event.level))
        line.member("message", event.message.description)
        line.member("time", Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)))
        line.member("logger", self.label)
        if !self.labels.isEmpty {
            line.key("logging.googleapis.com/labels")
            line.metadata(.dictionary(self.labels.mapValues { .string($0) }))
        }
        if let traceID = merged.removeValue(forKey: "trace_id").map({ "\($0)" }) {
            let trace = self.projectID.map { "projects/\($0)/traces/\(traceID)" } ?? traceID
            line.member("logging.googleapis.com/trace", trace)
        }
        if let spanID = merged.removeValue(forKey: "span_id").map({ "\($0)" }) {
            line.member("logging.googleapis.com/spanId", spanID)
        }
        if let sampled = merged.removeValue(forKey: "trace_sampled") {
            line.key("logging.googleapis.com/trace_sampled")
            line.bool("\(sampled)" == "true")
        }
        if event.level >= .warning {
            line.key("logging.googleapis.com/sourceLocation")
            line.metadata(["file": "\(event.file)", "line": "\(event.line)", "function": "\(event.function)"])
        }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line.key(key)
            line.metadata(value)
        }
        line.endObject()
        self.sink.write(line.text)
    }

    static func severity(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }
}

/// Where finished log lines go.
public struct LineSink: Sendable {
    let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    func write(_ line: String) { self.write(line) }

    /// Standard output, one `write(2)` per line so that lines from concurrent requests never interleave.
    public static let standardOutput = LineSink { line in
        var text = line
        text.append("\n")
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

/// `write(2)` from the C library of the platform: Glibc or Musl on Linux, Darwin on macOS.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #elseif canImport(Musl)
    Musl.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}
