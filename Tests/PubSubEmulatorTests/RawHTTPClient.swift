import Foundation
import NIOCore
import NIOPosix

/// Writes HTTP/1.1 requests byte for byte, so a test controls exactly which `Host`, `Origin` and `Content-Type`
/// headers arrive (or that none does), as a browser or a hostile page would send them.
enum RawHTTPClient {
    /// A request with `Connection: close` and, for a non-empty body, its `Content-Length`.
    static func request(
        _ method: String,
        _ path: String,
        host: String?,
        headers: [(String, String)] = [],
        body: String = ""
    ) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\n"
        if let host { text += "Host: \(host)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
        return text + "Connection: close\r\n\r\n" + body
    }

    /// Sends `request` on a new connection to `address`:`port` and parses the answer the server closes after.
    static func send(_ request: String, port: Int, address: String = "127.0.0.1") async throws -> Reply {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: address, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let received = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var received = ByteBuffer()
            for try await var chunk in inbound { received.writeBuffer(&chunk) }
            return String(buffer: received)
        }
        let statusLine = received.prefix { $0 != "\r" }.split(separator: " ")
        let body = received.range(of: "\r\n\r\n").map { String(received[$0.upperBound...]) } ?? ""
        let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        return Reply(status: statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0, json: json)
    }
}
