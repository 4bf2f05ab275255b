import Foundation
import NIOCore
import NIOPosix

/// An HTTP/1.1 client over a plain TCP socket that sends exactly the bytes a test asks for, and when: slowly,
/// partly, or not as HTTP at all.
struct RawHTTPConnection {
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: Data

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: self.body)) as? [String: Any] }
    }

    let port: Int

    /// Opens a connection, lets `send` write to it, then reads until the server closes it.
    func exchange(_ send: (NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void) async throws -> Response? {
        let channel = try await self.connect()
        return try await channel.executeThenClose { inbound, outbound in
            try await send(outbound)
            var received = ByteBuffer()
            do {
                for try await var chunk in inbound { received.writeBuffer(&chunk) }
            } catch {
                // A reset after the response was written still leaves the response to read.
            }
            return Self.parse(Data(received.readableBytesView))
        }
    }

    /// Writes what `send` writes, then closes the connection without waiting for an answer.
    func sendAndClose(_ send: (NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void) async throws {
        let channel = try await self.connect()
        try await channel.executeThenClose { _, outbound in try await send(outbound) }
    }

    private func connect() async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Sends one request with `Connection: close` and reads the response.
    func request(
        _ method: String,
        _ path: String,
        headers: [(String, String)] = [],
        body: Data = Data()
    ) async throws -> Response? {
        // One write, as a client sends a small request: a host that refuses the head answers and closes at once,
        // and a second write after that answer would fail with the connection already closed.
        try await self.exchange { outbound in
            try await outbound.write(
                ByteBuffer(bytes: Self.head(method, path, headers: headers, contentLength: body.count) + body)
            )
        }
    }

    static func head(_ method: String, _ path: String, headers: [(String, String)], contentLength: Int?) -> Data {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let contentLength { text += "Content-Length: \(contentLength)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return Data((text + "\r\n").utf8)
    }

    static func parse(_ data: Data) -> Response? {
        guard let separator = data.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: data[..<separator.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces
            )
        }
        return Response(status: status, headers: headers, body: Data(data[separator.upperBound...]))
    }
}

/// A wrapped Pub/Sub push body, as the service sends it.
func pushBody(id: String, data: String = "hello", attributes: [String: String] = [:]) -> Data {
    let object: [String: Any] = [
        "message": [
            "data": Data(data.utf8).base64EncodedString(),
            "attributes": attributes,
            "messageId": id,
            "message_id": id,
            "publishTime": "2026-11-22T10:00:00.123Z",
            "publish_time": "2026-11-22T10:00:00.123Z",
        ],
        "subscription": "projects/test/subscriptions/ingest",
    ]
    return try! JSONSerialization.data(withJSONObject: object)
}
