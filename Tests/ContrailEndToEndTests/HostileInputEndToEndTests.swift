import Foundation
import NIOCore
import Testing

@Suite("contrail serve under malformed and hostile requests")
struct HostileInputEndToEndTests {
    @Test("a declared body over 32 MiB is refused with 413 before it is read")
    func declaredOversizedBody() async throws {
        let host = try await ContrailProcess.start()
        defer { host.signal(SIGKILL) }
        let client = RawHTTPConnection(port: host.port)
        let response = try await client.exchange { outbound in
            try await outbound.write(
                ByteBuffer(
                    bytes: RawHTTPConnection.head("POST", "/ingest", headers: [], contentLength: 33 * 1024 * 1024)
                )
            )
        }
        #expect(response?.status == 413)
        #expect(response?.json?["error"] != nil)
        #expect(try await client.request("GET", "/_/health")?.status == 200)
    }

    @Test("a chunked body is refused with 413 as soon as it passes 32 MiB")
    func streamedOversizedBody() async throws {
        let host = try await ContrailProcess.start()
        defer { host.signal(SIGKILL) }
        let client = RawHTTPConnection(port: host.port)
        let megabyte = Data(repeating: UInt8(ascii: "a"), count: 1024 * 1024)
        let response = try await client.exchange { outbound in
            var head = RawHTTPConnection.head(
                "POST",
                "/ingest",
                headers: [("Transfer-Encoding", "chunked")],
                contentLength: nil
            )
            try await outbound.write(ByteBuffer(bytes: head))
            head = Data("100000\r\n".utf8)
            for _ in 0..<40 {
                do {
                    try await outbound.write(ByteBuffer(bytes: head + megabyte + Data("\r\n".utf8)))
                } catch {
                    return  // the server answered and closed: exactly what is expected
                }
            }
            try? await outbound.write(ByteBuffer(bytes: Data("0\r\n\r\n".utf8)))
        }
        #expect(response?.status == 413)
        #expect(try await client.request("GET", "/_/health")?.status == 200)
    }

    @Test("ingest reads only the push envelope its trigger declares: any other body is a 400 saying so")
    func declaredFormOnly() async throws {
        let host = try await ContrailProcess.start()
        defer { host.signal(SIGKILL) }
        let client = RawHTTPConnection(port: host.port)
        // A structured CloudEvent: a delivery form the host reads for functions that declare no trigger.
        let body = Data(
            #"{"specversion":"1.0","type":"google.cloud.pubsub.topic.v1.messagePublished","id":"1","source":"//pubsub.googleapis.com/projects/p/topics/t","data":{"message":{"data":"aGk=","messageId":"1"}}}"#
                .utf8
        )
        let head =
            "POST /ingest HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        let response = try await client.exchange { outbound in
            try await outbound.write(ByteBuffer(bytes: Data(head.utf8) + body))
        }
        #expect(response?.status == 400)
        let message = (response?.json?["error"] as? [String: Any])?["message"] as? String
        #expect(message?.contains("push envelope") == true)
    }

    @Test("a body cut off by the client leaves the host serving others")
    func truncatedBodyConnection() async throws {
        // The connection closes with 89 of the declared 100 bytes never sent.
        let host = try await ContrailProcess.start()
        defer { host.signal(SIGKILL) }
        let client = RawHTTPConnection(port: host.port)
        try await client.sendAndClose { outbound in
            try await outbound.write(
                ByteBuffer(bytes: RawHTTPConnection.head("POST", "/ingest", headers: [], contentLength: 100))
            )
            try await outbound.write(ByteBuffer(bytes: Data(#"{"message":"#.utf8)))
        }
        #expect(try await client.request("GET", "/_/health")?.status == 200)
        #expect(try await client.request("POST", "/ingest", body: pushBody(id: "after"))?.status == 204)
    }

    @Test("a truncated JSON document is a 400 with a readable message")
    func truncatedJSON() async throws {
        let host = try await ContrailProcess.start()
        defer { host.signal(SIGKILL) }
        let client = RawHTTPConnection(port: host.port)
        let response = try #require(
            try await client.request("POST", "/ingest", body: Data(#"{"message":{"messageId":"1","da"#.utf8))
        )
        #expect(response.status == 400)
        let error = try #require(response.json?["error"] as? [String: Any])
        #expect(error["status"] as? String == "INVALID_ARGUMENT")
        #expect((error["message"] as? String)?.contains("not valid JSON") == true)
    }

    @Test("many slow requests are served at once")
    func manyRequestsInFlight() async throws {
        let host = try await ContrailProcess.start()
        defer { host.signal(SIGKILL) }
        let client = RawHTTPConnection(port: host.port)
        let statuses = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let body = pushBody(id: "parallel-\(index)")
                    return try await client.exchange { outbound in
                        try await outbound.write(
                            ByteBuffer(
                                bytes: RawHTTPConnection.head("POST", "/ingest", headers: [], contentLength: body.count)
                            )
                        )
                        try await Task.sleep(for: .milliseconds(300))
                        try await outbound.write(ByteBuffer(bytes: body))
                    }?.status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.count == 50)
        #expect(statuses.allSatisfy { $0 == 204 })
    }
}
