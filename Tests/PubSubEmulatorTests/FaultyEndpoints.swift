import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

/// Holds every request until released, counting how many are held at once.
actor HangingEndpoint {
    private(set) var received = 0
    private(set) var holding = 0
    private(set) var mostHeld = 0
    private var released = false

    func arrive() {
        self.received += 1
        self.holding += 1
        self.mostHeld = max(self.mostHeld, self.holding)
    }

    func leave() { self.holding -= 1 }
    func release() { self.released = true }
    var isReleased: Bool { self.released }
}

/// Runs `/push` (answers `status`) and `/hang` (holds the request until released, at most 30 s) on 127.0.0.1.
func withEndpoints(
    _ test:
        @Sendable @escaping (_ base: String, _ recorder: PushRecorder, _ hanging: HangingEndpoint) async throws -> Void
) async throws {
    let recorder = PushRecorder(statuses: [204])
    let hanging = HangingEndpoint()
    let router = Router()
    router.post("/push") { request, _ -> Response in
        let body = try await request.body.collect(upTo: 1 << 20)
        let status = await recorder.record(PushedRequest(headers: [:], body: Data(body.readableBytesView)))
        return Response(status: HTTPResponse.Status(code: status))
    }
    router.post("/hang") { _, _ -> Response in
        await hanging.arrive()
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while await !hanging.isReleased, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await hanging.leave()
        return Response(status: .noContent)
    }
    let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await application.test(.live) { client in
        let port = try #require(client.port)
        defer { Task { await hanging.release() } }
        try await test("http://127.0.0.1:\(port)", recorder, hanging)
        await hanging.release()
    }
}

/// A TCP server that answers every connection with bytes that are not HTTP, then closes it.
func withGarbageServer(_ test: @Sendable (_ url: String) async throws -> Void) async throws {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { channel in channel.pipeline.addHandler(GarbageHandler()) }
        .bind(host: "127.0.0.1", port: 0)
        .get()
    let port = try #require(channel.localAddress?.port)
    do {
        try await test("http://127.0.0.1:\(port)/push")
    } catch {
        try? await channel.close()
        throw error
    }
    try await channel.close()
}

private final class GarbageHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = context.channel.allocator.buffer(string: "\u{0}\u{1}NOT HTTP AT ALL\r\n\r\n")
        context.writeAndFlush(self.wrapOutboundOut(reply)).whenComplete { _ in context.close(promise: nil) }
    }
}

/// A port on 127.0.0.1 that nothing listens on.
func refusedURL() async throws -> String {
    let socket = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
        host: "127.0.0.1",
        port: 0
    ).get()
    let port = try #require(socket.localAddress?.port)
    try await socket.close()
    return "http://127.0.0.1:\(port)/push"
}
