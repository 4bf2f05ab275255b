import ContrailHost
import ContrailKit
import HTTPTypes
import Testing

@Suite("Trace context from request headers")
struct TraceContextTests {
    static let traceParent = HTTPField.Name("traceparent")!
    static let cloudTrace = HTTPField.Name("x-cloud-trace-context")!

    @Test("A W3C traceparent gives the trace id, the span id and the sampled flag")
    func traceparent() throws {
        let sampled = try #require(
            TraceContext(headers: [
                Self.traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            ])
        )
        let expected = TraceContext(
            traceID: "4bf92f3577b34da6a3ce929d0e0e4736",
            spanID: "00f067aa0ba902b7",
            isSampled: true
        )
        #expect(sampled == expected)

        let unsampled = try #require(
            TraceContext(headers: [
                Self.traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
            ])
        )
        #expect(!unsampled.isSampled)
    }

    @Test("X-Cloud-Trace-Context gives the trace id, the decimal span id in hex and the o=1 flag")
    func cloudTraceContext() throws {
        let context = try #require(TraceContext(headers: [Self.cloudTrace: "105445aa7843bc8bf206b12000100000/1;o=1"]))
        #expect(context.traceID == "105445aa7843bc8bf206b12000100000")
        #expect(context.spanID == "0000000000000001")
        #expect(context.isSampled)

        let unsampled = try #require(
            TraceContext(headers: [Self.cloudTrace: "105445AA7843BC8BF206B12000100000/123;o=0"])
        )
        #expect(unsampled.traceID == "105445aa7843bc8bf206b12000100000")
        #expect(unsampled.spanID == "000000000000007b")
        #expect(!unsampled.isSampled)

        let traceOnly = try #require(TraceContext(headers: [Self.cloudTrace: "105445aa7843bc8bf206b12000100000"]))
        #expect(traceOnly.spanID == "0000000000000000")
        #expect(!traceOnly.isSampled)
    }

    @Test("traceparent is preferred when both headers are present")
    func traceparentIsPreferred() throws {
        let context = try #require(
            TraceContext(headers: [
                Self.cloudTrace: "105445aa7843bc8bf206b12000100000/1;o=1",
                Self.traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
            ])
        )
        #expect(context.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.spanID == "00f067aa0ba902b7")
        #expect(!context.isSampled)
    }

    @Test("A malformed traceparent falls back to X-Cloud-Trace-Context")
    func malformedTraceparentFallsBack() throws {
        let context = try #require(
            TraceContext(headers: [
                Self.traceParent: "not-a-traceparent",
                Self.cloudTrace: "105445aa7843bc8bf206b12000100000/1;o=1",
            ])
        )
        #expect(context.traceID == "105445aa7843bc8bf206b12000100000")
    }

    @Test(
        "No usable trace header gives no trace context",
        arguments: [
            [:],
            [cloudTrace: "xyz/1;o=1"],
            [cloudTrace: "00000000000000000000000000000000/1;o=1"],
            [traceParent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
        ] as [HTTPFields]
    )
    func noTrace(fields: HTTPFields) {
        #expect(TraceContext(headers: fields) == nil)
    }
}
