import Logging

/// Passes every record to the handler it wraps and also keeps it, as one line of text, in an invocation's
/// ``LogLineBuffer``. Level and metadata are the wrapped handler's, so output is unchanged.
struct LogCapturingHandler: LogHandler {
    var upstream: any LogHandler
    let buffer: LogLineBuffer

    var logLevel: Logger.Level {
        get { self.upstream.logLevel }
        set { self.upstream.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { self.upstream.metadata }
        set { self.upstream.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { self.upstream.metadataProvider }
        set { self.upstream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.upstream[metadataKey: key] }
        set { self.upstream[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        self.upstream.log(event: event)
        var line = "\(event.level.rawValue.uppercased()) \(event.message)"
        // The invocation's own fields (function, trace) are on every line, so only what the call added is shown,
        // and of that the plain values: nested ones (Cloud Logging's `httpRequest`) repeat what the line says.
        for (key, value) in (event.metadata ?? [:]).sorted(by: { $0.key < $1.key }) {
            switch value {
            case .string(let text): line += " \(key)=\(text)"
            case .stringConvertible(let convertible): line += " \(key)=\(convertible)"
            case .dictionary, .array: continue
            }
        }
        self.buffer.append(line)
    }
}
