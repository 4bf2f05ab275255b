import NIOCore

/// Holds a new connection's first bytes until they say which protocol it speaks: gRPC clients open with the
/// HTTP/2 preface (prior knowledge, no TLS, no upgrade), REST clients with an HTTP/1.1 method. Once the handlers for
/// that protocol are in place behind it, removing this handler passes them the bytes it held.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum WireProtocol: Sendable {
        case http1
        case http2
    }

    static let http2Preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let decided: EventLoopPromise<WireProtocol>
    private var held: ByteBuffer?
    private var isDecided = false

    init(decided: EventLoopPromise<WireProtocol>) {
        self.decided = decided
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        guard !self.isDecided else {
            // Arrived while the protocol's handlers were being added: kept in order behind the first bytes.
            self.held.setOrWriteBuffer(&bytes)
            return
        }
        self.held.setOrWriteBuffer(&bytes)
        guard let held = self.held, let wireProtocol = Self.decide(held.readableBytesView) else { return }
        self.isDecided = true
        self.decided.succeed(wireProtocol)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !self.isDecided {
            self.isDecided = true
            self.decided.fail(ChannelError.eof)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !self.isDecided {
            self.isDecided = true
            self.decided.fail(error)
        }
        context.fireErrorCaught(error)
    }

    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        if let held = self.held, held.readableBytes > 0 {
            self.held = nil
            context.fireChannelRead(Self.wrapInboundOut(held))
            context.fireChannelReadComplete()
        }
        context.leavePipeline(removalToken: removalToken)
    }

    /// `nil` while the bytes so far are a prefix of the preface and too few to tell.
    static func decide(_ bytes: ByteBufferView) -> WireProtocol? {
        let compared = min(bytes.count, Self.http2Preface.count)
        guard bytes.prefix(compared).elementsEqual(Self.http2Preface.prefix(compared)) else { return .http1 }
        return compared == Self.http2Preface.count ? .http2 : nil
    }
}
