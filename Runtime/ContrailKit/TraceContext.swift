/// The trace an invocation belongs to, in the form Cloud Logging and Cloud Trace use.
public struct TraceContext: Sendable, Hashable {
    /// 32 lowercase hex digits.
    public let traceID: String
    /// 16 lowercase hex digits, the caller's span.
    public let spanID: String
    public let isSampled: Bool

    public init(traceID: String, spanID: String, isSampled: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.isSampled = isSampled
    }
}
