import ContrailHost
import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Logging
import Testing

@Suite("Cloud Logging structured lines")
struct CloudLoggingLogHandlerTests {
    private let capture = LineCapture()

    private func logger(labels: [String: String] = [:], projectID: String? = "p") -> Logger {
        let handler = CloudLoggingLogHandler(
            label: "contrail.test",
            labels: labels,
            projectID: projectID,
            sink: self.capture.sink
        )
        return Logger(label: "contrail.test") { _ in handler }
    }

    @Test("A record with trace metadata becomes one JSON line with Cloud Logging's trace fields")
    func traceFields() throws {
        let logger = self.logger(labels: ["k_service": "contrail", "k_revision": "contrail-00001"])
        logger.info(
            "handled",
            metadata: [
                "trace_id": "105445aa7843bc8bf206b12000100000",
                "span_id": "0000000000000001",
                "trace_sampled": .stringConvertible(true),
                "httpRequest": .dictionary([
                    "requestMethod": "POST",
                    "status": .stringConvertible(204),
                    "latency": "0.001250s",
                ]),
            ]
        )

        let lines = try self.capture.objects()
        try #require(lines.count == 1)
        let line = lines[0]
        #expect(line["severity"] as? String == "INFO")
        #expect(line["message"] as? String == "handled")
        #expect(line["logging.googleapis.com/trace"] as? String == "projects/p/traces/105445aa7843bc8bf206b12000100000")
        #expect(line["logging.googleapis.com/spanId"] as? String == "0000000000000001")
        #expect(line["logging.googleapis.com/trace_sampled"] as? Bool == true)
        #expect(
            line["logging.googleapis.com/labels"] as? [String: String]
                == ["k_service": "contrail", "k_revision": "contrail-00001"]
        )
        // The trace metadata is lifted into Cloud Logging's fields, not repeated in the payload.
        #expect(line["trace_id"] == nil)
        #expect(line["span_id"] == nil)
        #expect(line["trace_sampled"] == nil)

        let httpRequest = try #require(line["httpRequest"] as? [String: Any])
        #expect(httpRequest["status"] as? Int == 204)
        #expect(!(httpRequest["status"] is String))
        #expect(httpRequest["requestMethod"] as? String == "POST")
        #expect(httpRequest["latency"] as? String == "0.001250s")
    }

    @Test("Without a project id the trace field is the bare trace id, and unsampled traces say false")
    func traceWithoutProject() throws {
        let logger = self.logger(projectID: nil)
        logger.info("x", metadata: ["trace_id": "abc", "trace_sampled": .stringConvertible(false)])

        let line = try #require(try self.capture.objects().first)
        #expect(line["logging.googleapis.com/trace"] as? String == "abc")
        #expect(line["logging.googleapis.com/trace_sampled"] as? Bool == false)
        #expect(line["logging.googleapis.com/labels"] == nil)
    }

    @Test("Levels map to Cloud Logging severities, and warnings carry their source location")
    func severities() throws {
        var logger = self.logger()
        logger.logLevel = .trace
        logger.debug("d")
        logger.notice("n")
        logger.warning("w")
        logger.critical("c")

        let lines = try self.capture.objects()
        #expect(lines.map { $0["severity"] as? String } == ["DEBUG", "NOTICE", "WARNING", "CRITICAL"])
        #expect(lines[0]["logging.googleapis.com/sourceLocation"] == nil)
        let location = try #require(lines[2]["logging.googleapis.com/sourceLocation"] as? [String: String])
        #expect(location["file"]?.contains("CloudLoggingLogHandlerTests.swift") == true)
    }

    @Test("Messages and metadata with quotes, newlines and control characters stay one valid JSON line")
    func escaping() throws {
        let logger = self.logger()
        logger.info("said \"hi\"\nthen\tleft\u{01}", metadata: ["path": "/a\\b", "count": .stringConvertible(3)])

        let lines = self.capture.lines
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\n") == false)
        let line = try #require(try self.capture.objects().first)
        #expect(line["message"] as? String == "said \"hi\"\nthen\tleft\u{01}")
        #expect(line["path"] as? String == "/a\\b")
        #expect(line["count"] as? Int == 3)
    }

    @Test("An invocation through the host writes one line with its trace and a numeric httpRequest.status")
    func invocationLine() async throws {
        var registry = FunctionRegistry()
        try registry.onMessage("ingest") { _, _ in }
        var configuration = HostConfiguration()
        configuration.logFormat = .json
        let client = try FunctionTestClient(registry: registry, configuration: configuration, logger: self.logger())
        let message = PubSubMessage(id: "m-1", data: Data("x".utf8))
        let body = PushBody(message: message, subscription: "projects/p/subscriptions/s")
        let fields: HTTPFields = [
            .contentType: "application/json",
            HTTPField.Name("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ]

        let response = await client.send(method: .post, path: "/ingest", headerFields: fields, body: body.encoded())

        #expect(response.status == .noContent)
        let lines = try self.capture.objects()
        try #require(lines.count == 1)
        let trace = lines[0]["logging.googleapis.com/trace"] as? String
        #expect(trace == "projects/p/traces/4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(lines[0]["logging.googleapis.com/spanId"] as? String == "00f067aa0ba902b7")
        #expect(lines[0]["logging.googleapis.com/trace_sampled"] as? Bool == true)
        #expect(lines[0]["function"] as? String == "ingest")
        #expect(lines[0]["message_id"] as? String == "m-1")
        let httpRequest = try #require(lines[0]["httpRequest"] as? [String: Any])
        #expect(httpRequest["status"] as? Int == 204)
        #expect(!(httpRequest["status"] is String))
        #expect(httpRequest["requestMethod"] as? String == "POST")
    }

    @Test("In text format the invocation line says the request once, in its summary, without httpRequest")
    func textInvocationLine() async throws {
        var registry = FunctionRegistry()
        try registry.onMessage("ingest") { _, _ in }
        let client = try FunctionTestClient(registry: registry, logger: self.logger())
        let body = PushBody(
            message: PubSubMessage(id: "m-2", data: Data("x".utf8)),
            subscription: "projects/p/subscriptions/s"
        )

        _ = await client.send(
            method: .post,
            path: "/ingest",
            headerFields: [.contentType: "application/json"],
            body: body.encoded()
        )

        let line = try #require(try self.capture.objects().first)
        #expect(line["httpRequest"] == nil)
        #expect(line["message_id"] as? String == "m-2")
        #expect((line["message"] as? String)?.hasPrefix("POST /ingest 204") == true)
    }
}
