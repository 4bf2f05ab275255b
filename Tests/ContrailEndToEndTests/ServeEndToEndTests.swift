import Foundation
import NIOCore
import Testing

@Suite("contrail serve, as a real process on a real socket")
struct ServeEndToEndTests {
    @Test("it answers a Pub/Sub push with 204 and an HTTP request with the function's response")
    func servesBothKindsOfFunction() async throws {
        let host = try await ContrailProcess.start()
        defer { host.signal(SIGKILL) }
        let client = RawHTTPConnection(port: host.port)

        let health = try #require(try await client.request("GET", "/_/health"))
        #expect(health.status == 200)
        #expect(health.json?["status"] as? String == "ok")

        let push = try #require(
            try await client.request(
                "POST",
                "/ingest",
                headers: [("Content-Type", "application/json")],
                body: pushBody(id: "m-1")
            )
        )
        #expect(push.status == 204)

        let query = try #require(try await client.request("GET", "/query/records/m-1"))
        #expect(query.status == 200)
        #expect(query.json?["messageId"] as? String == "m-1")
        #expect(query.json?["dataBase64"] as? String == Data("hello".utf8).base64EncodedString())
        #expect(try await client.request("POST", "/query/records")?.status == 405)
    }

    @Test("it writes one Cloud Logging line per invocation, with the trace from traceparent")
    func logsOneStructuredLinePerInvocation() async throws {
        let host = try await ContrailProcess.start(environment: ["GOOGLE_CLOUD_PROJECT": "demo", "K_SERVICE": "ingest"])
        let client = RawHTTPConnection(port: host.port)
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        let response = try await client.request(
            "POST",
            "/ingest",
            headers: [("traceparent", "00-\(traceID)-00f067aa0ba902b7-01")],
            body: pushBody(id: "m-logged")
        )
        #expect(response?.status == 204)
        host.signal(SIGTERM)
        #expect(await host.waitForExit() == 0)

        let invocations = host.logLines.filter { ($0["httpRequest"] as? [String: Any]) != nil }
        let line = try #require(invocations.first)
        #expect(invocations.count == 1)
        #expect(line["severity"] as? String == "INFO")
        #expect(line["function"] as? String == "ingest")
        #expect(line["message_id"] as? String == "m-logged")
        #expect(line["status"] as? Int == 204)
        #expect(line["logging.googleapis.com/trace"] as? String == "projects/demo/traces/\(traceID)")
        #expect(line["logging.googleapis.com/spanId"] as? String == "00f067aa0ba902b7")
        #expect((line["logging.googleapis.com/labels"] as? [String: String])?["k_service"] == "ingest")
        let request = try #require(line["httpRequest"] as? [String: Any])
        #expect(request["requestMethod"] as? String == "POST")
        #expect(request["status"] as? Int == 204)
    }

    @Test("SIGTERM lets every slow request in flight finish with its real status, then exits 0")
    func drainsInFlightRequestsOnSigterm() async throws {
        let host = try await ContrailProcess.start()
        let client = RawHTTPConnection(port: host.port)
        let started = ContinuousClock.now
        let headsSent = AsyncStream<Void>.makeStream()

        // Pushes, whose bodies the host reads: the query API takes none, so a GET with one is refused at once.
        let statuses = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<6 {
                let body = pushBody(id: "slow-\(index)")
                group.addTask {
                    let response = try await client.exchange { outbound in
                        try await outbound.write(
                            ByteBuffer(
                                bytes: RawHTTPConnection.head("POST", "/ingest", headers: [], contentLength: body.count)
                            )
                        )
                        // Half the body now, the rest a chunk at a time: the request stays in flight for ~1.5 s.
                        let half = body.count / 2
                        try await outbound.write(ByteBuffer(bytes: body.prefix(half)))
                        headsSent.continuation.yield()
                        for chunk in body.dropFirst(half).chunks(of: max(1, (body.count - half) / 15)) {
                            try await Task.sleep(for: .milliseconds(100))
                            try await outbound.write(ByteBuffer(bytes: chunk))
                        }
                    }
                    return response?.status
                }
            }
            var sent = 0
            for await _ in headsSent.stream {
                sent += 1
                if sent == 6 { break }
            }
            // The heads are written; give the server's event loop a moment to read them off the socket.
            try await Task.sleep(for: .milliseconds(300))
            host.signal(SIGTERM)

            var statuses: [Int?] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }

        #expect(await host.waitForExit() == 0)
        #expect(started.duration(to: .now) < .seconds(10))
        #expect(statuses == Array(repeating: 204, count: 6), "requests in flight at SIGTERM")
        // Nothing is accepted once draining: the port is closed.
        await #expect(throws: (any Error).self) { try await client.request("GET", "/_/health") }
    }

    @Test("FUNCTION_TARGET serves that function at every path and nothing else")
    func functionTargetServesEveryPath() async throws {
        let host = try await ContrailProcess.start(environment: ["FUNCTION_TARGET": "query"])
        defer { host.signal(SIGKILL) }
        let client = RawHTTPConnection(port: host.port)

        let records = try #require(try await client.request("GET", "/records?limit=1"))
        #expect(records.status == 200)
        #expect(records.json?["records"] as? [Any] != nil)
        #expect(try await client.request("GET", "/openapi.json")?.json?["openapi"] as? String == "3.1.0")
        #expect(try await client.request("GET", "/query/records")?.status == 404)
        #expect(try await client.request("POST", "/ingest", body: pushBody(id: "x"))?.status == 405)
        #expect(try await client.request("GET", "/robots.txt")?.status == 404)
        #expect(try await client.request("GET", "/favicon.ico")?.status == 404)
        #expect(try await client.request("GET", "/_/health")?.status == 200)
    }
}

@Suite("contrail serve refuses to start on bad configuration")
struct ServeStartupErrorTests {
    @Test(
        "an invalid environment value stops the start with one line naming the variable",
        arguments: [
            ("PORT", "eighty"),
            ("LOG_FORMAT", "xml"),
            ("LOG_LEVEL", "loud"),
            ("FUNCTION_TARGET", "nope"),
            ("CLOUD_RUN_TIMEOUT_SECONDS", "-1"),
            ("HTTP_IDLE_TIMEOUT_SECONDS", "0"),
            ("DATABASE_URL", "mysql://localhost/db"),
            ("DATABASE_POOL_SIZE", "0"),
        ]
    )
    func invalidEnvironmentValue(variable: String, value: String) async throws {
        let (status, stderr) = try await ContrailProcess.run(["serve"], environment: [variable: value])
        #expect(status != 0)
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(stderr.contains(variable))
        #expect(!stderr.contains("expected expected"))
    }

    @Test("an unreachable PostgreSQL at start stops it at once, non-zero, with one line naming the server")
    func unreachableDatabaseAtStart() async throws {
        let port = try freePort()
        let started = ContinuousClock.now
        let (status, stderr) = try await ContrailProcess.run(
            ["serve"],
            environment: ["PORT": "0", "DATABASE_URL": "postgres://contrail:hunter2@127.0.0.1:\(port)/contrail"]
        )
        // Before it listens, so that Cloud Run sees a failed start rather than an instance that never gets ready.
        #expect(status != 0)
        #expect(stderr.split(separator: "\n").count == 1)
        #expect(stderr.contains("127.0.0.1:\(port)"))
        #expect(!stderr.contains("hunter2"))
        #expect(started.duration(to: .now) < .seconds(20))
    }

    @Test("a port already in use is a one-line error, not a crash")
    func portInUse() async throws {
        let first = try await ContrailProcess.start()
        defer { first.signal(SIGKILL) }
        let (status, stderr) = try await ContrailProcess.run(["serve"], environment: ["PORT": "\(first.port)"])
        #expect(status != 0)
        #expect(stderr.contains("port \(first.port) is already in use"))
        #expect(stderr.split(separator: "\n").count == 1)
    }
}

extension Data {
    func chunks(of size: Int) -> [Data] {
        stride(from: 0, to: self.count, by: size).map {
            self.subdata(in: self.startIndex + $0..<Swift.min(self.startIndex + $0 + size, self.endIndex))
        }
    }
}
