import ContrailKit
import HTTPTypes
import Logging

/// The one line written per invocation: function, status, latency, and the message id and delivery attempt or
/// the method and path. In structured (JSON) lines the request is also in `httpRequest`, Cloud Logging's request
/// fields; a text line says it once, in its summary.
struct InvocationLog {
    let head: HTTPRequest
    let report: Invocation.Report
    let status: HTTPResponse.Status
    let responseSize: Int
    let latency: Duration
    let isStructured: Bool

    func write(to logger: Logger) {
        let status = self.status.code
        let level: Logger.Level = status >= 500 ? .error : (status >= 400 ? .warning : .info)
        // Building the line costs more than the request it describes; skip it when the level drops it.
        guard logger.logLevel <= level else { return }
        let microseconds =
            self.latency.components.seconds * 1_000_000 + self.latency.components.attoseconds / 1_000_000_000_000
        let milliseconds = Double(microseconds / 10) / 100
        let path = self.head.path ?? "/"
        var metadata: Logger.Metadata = [:]
        if self.isStructured {
            metadata["status"] = .stringConvertible(status)
            metadata["latency_ms"] = .stringConvertible(milliseconds)
            metadata["method"] = .string(self.head.method.rawValue)
            metadata["path"] = .string(path)
            metadata["httpRequest"] = .dictionary([
                "requestMethod": .string(self.head.method.rawValue),
                "requestUrl": .string(path),
                "status": .stringConvertible(status),
                "requestSize": .string(String(self.report.requestSize)),
                "responseSize": .string(String(self.responseSize)),
                "userAgent": .string(self.head.headerFields[.userAgent] ?? ""),
                "latency": .string(Self.durationText(microseconds: microseconds)),
                "protocol": .string("HTTP/1.1"),
            ])
        }
        if let failure = self.report.failure {
            metadata["error"] = .string(failure)
        }
        var summary = "\(self.head.method.rawValue) \(path) \(status) \(milliseconds)ms"
        if let message = self.report.message {
            summary += " message \(message.id)"
            if let attempt = message.deliveryAttempt { summary += " attempt \(attempt)" }
        }
        logger.log(level: level, "\(summary)", metadata: metadata)
    }

    /// A protobuf `Duration` in JSON, e.g. `"0.001250s"`, the form Cloud Logging expects for `latency`.
    static func durationText(microseconds: Int64) -> String {
        let fraction = String(microseconds % 1_000_000)
        return "\(microseconds / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)s"
    }
}
