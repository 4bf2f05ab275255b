import ContrailHost
import Foundation
import Synchronization

/// Collects the lines a ``CloudLoggingLogHandler`` writes, in place of standard output.
final class LineCapture: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { self.storage.withLock { $0 } }

    var sink: LineSink {
        LineSink { line in self.storage.withLock { $0.append(line) } }
    }

    /// Each line parsed as the JSON object it must be.
    func objects() throws -> [[String: Any]] {
        try self.lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let object = object as? [String: Any] else { throw NotAnObject(line: line) }
            return object
        }
    }

    struct NotAnObject: Error {
        let line: String
    }
}
