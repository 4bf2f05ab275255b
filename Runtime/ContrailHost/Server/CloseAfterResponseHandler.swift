import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection once a response that says `Connection: close` has been written.
///
/// Hummingbird closes only when the request asked for it; when the host refuses a body it has not read, keeping
/// the connection would mean reading and discarding the rest of the upload to find the next request.
final class CloseAfterResponseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Only touched on the channel's event loop.
    private var closing = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = self.unwrapOutboundIn(data)
        switch part {
        case .head(let head):
            let close = head.headerFields[.connection]?.lowercased() == "close"
            self.closing = close
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard self.closing else {
                context.write(data, promise: promise)
                return
            }
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
