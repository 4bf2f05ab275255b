import ContrailKit
import Instrumentation
import ServiceContextModule

extension ContrailKit.TraceContext {
    /// The context an invocation's span continues: the incoming trace, whichever header carried it, handed to the
    /// tracer as W3C `traceparent` (X-Cloud-Trace-Context's ids are already converted to hex).
    var serviceContext: ServiceContext {
        var context = ServiceContext.topLevel
        let spanID = self.spanID == String(repeating: "0", count: 16) ? "0000000000000001" : self.spanID
        let carrier = ["traceparent": "00-\(self.traceID)-\(spanID)-\(self.isSampled ? "01" : "00")"]
        InstrumentationSystem.instrument.extract(carrier, into: &context, using: DictionaryExtractor())
        return context
    }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}
