import HummingbirdCore
import Logging
import NIOCore
import NIOPosix

/// Each connection to the emulator's port, served in the protocol its first bytes speak: HTTP/1.1 by the REST
/// responder, HTTP/2 (gRPC) by forwarding it to the ``GRPCBackend``.
struct PubSubChildChannel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
        let wireProtocol: EventLoopFuture<ProtocolSniffer.WireProtocol>
    }

    static let snifferName = "protocol-sniffer"
    /// A connection that says nothing for this long is closed.
    static let firstBytesTimeout = TimeAmount.seconds(30)

    let http1: HTTP1Channel
    let grpc: GRPCBackend

    /// Only adds the sniffer: the channel reads nothing until this returns, so the protocol is chosen in
    /// ``handle(value:logger:)``.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let decided = channel.eventLoop.makePromise(of: ProtocolSniffer.WireProtocol.self)
            try channel.pipeline.syncOperations.addHandler(ProtocolSniffer(decided: decided), name: Self.snifferName)
            let timeout = channel.eventLoop.scheduleTask(in: Self.firstBytesTimeout) { channel.close(promise: nil) }
            decided.futureResult.whenComplete { _ in timeout.cancel() }
            return Value(channel: channel, wireProtocol: decided.futureResult)
        }
    }

    func handle(value: Value, logger: Logger) async {
        let channel = value.channel
        do {
            switch try await value.wireProtocol.get() {
            case .http1:
                let http = try await channel.eventLoop.flatSubmit {
                    self.http1.setup(channel: channel, logger: logger).flatMap { http in
                        channel.pipeline.removeHandler(name: Self.snifferName).map { http }
                    }
                }.get()
                await self.http1.handle(value: http, logger: logger)
            case .http2:
                let bytes = try await channel.eventLoop.submit {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true)
                    )
                }.get()
                try await channel.pipeline.removeHandler(name: Self.snifferName).get()
                try await self.forward(bytes, to: self.grpc.port)
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
            try? await channel.close()
        }
    }

    /// Copies bytes both ways between the client and the gRPC backend until either side closes.
    private func forward(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>, to port: Int) async throws {
        let backend = try await ClientBootstrap(group: client.channel.eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true)
                    )
                }
            }
        try await client.executeThenClose { clientIn, clientOut in
            try await backend.executeThenClose { backendIn, backendOut in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await bytes in clientIn { try await backendOut.write(bytes) }
                    }
                    group.addTask {
                        for try await bytes in backendIn { try await clientOut.write(bytes) }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }
}
