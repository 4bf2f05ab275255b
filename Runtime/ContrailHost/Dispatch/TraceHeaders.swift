public import ContrailKit
public import HTTPTypes
import W3CTraceContext

extension ContrailKit.TraceContext {
    static let traceParentHeader = HTTPField.Name("traceparent")!
    static let cloudTraceHeader = HTTPField.Name("x-cloud-trace-context")!

    /// The trace of an incoming request: W3C `traceparent` first, then Google's `X-Cloud-Trace-Context`
    /// (`TRACE_ID/SPAN_ID;o=1`, with a decimal span id). Malformed headers are ignored, as a tracer would.
    public init?(headers: HTTPFields) {
        if let value = headers[Self.traceParentHeader],
            let parsed = try? W3CTraceContext.TraceContext(traceParentHeaderValue: value)
        {
            self.init(
                traceID: parsed.traceID.description,
                spanID: parsed.spanID.description,
                isSampled: parsed.flags.contains(.sampled)
            )
            return
        }
        guard let value = headers[Self.cloudTraceHeader] else { return nil }
        self.init(cloudTraceContext: value)
    }

    init?(cloudTraceContext value: String) {
        let traceAndRest = value.split(separator: "/", maxSplits: 1)
        let traceID = traceAndRest.first.map { $0.lowercased() } ?? ""
        guard traceID.count == 32, traceID.allSatisfy(\.isHexDigit), traceID != String(repeating: "0", count: 32)
        else { return nil }
        var spanID = String(repeating: "0", count: 16)
        var sampled = false
        if traceAndRest.count == 2 {
            let spanAndOptions = traceAndRest[1].split(separator: ";", maxSplits: 1)
            if let decimal = spanAndOptions.first.flatMap({ UInt64($0) }) {
                let hex = String(decimal, radix: 16)
                spanID = String(repeating: "0", count: 16 - hex.count) + hex
            }
            sampled = spanAndOptions.count == 2 && spanAndOptions[1] == "o=1"
        }
        self.init(traceID: traceID, spanID: spanID, isSampled: sampled)
    }
}
