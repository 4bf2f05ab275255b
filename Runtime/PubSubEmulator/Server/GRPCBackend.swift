import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import ServiceLifecycle

/// The gRPC services, served by grpc-swift on a private loopback port that the emulator's own port hands gRPC
/// connections to. grpc-swift's transport owns its listening socket and takes no accepted connection, so the
/// one address clients know (`PUBSUB_EMULATOR_HOST`) forwards to it.
final class GRPCBackend: Service, Sendable {
    /// Pub/Sub accepts publish requests up to 10 MB; framing adds a little.
    static let maxRequestBytes = 11 * 1024 * 1024

    private let server: GRPCServer<HTTP2ServerTransport.Posix>

    init(api: PubSubAPI) {
        var config = HTTP2ServerTransport.Posix.Config.defaults
        config.rpc.maxRequestPayloadSize = Self.maxRequestBytes
        self.server = GRPCServer(
            transport: .http2NIOPosix(
                address: .ipv4(host: "127.0.0.1", port: 0),
                transportSecurity: .plaintext,
                config: config
            ),
            services: [PublisherService(api: api), SubscriberService(api: api), SchemaService()]
        )
    }

    /// The port it listens on, once bound.
    var port: Int {
        get async throws {
            let address = try await self.server.transport.listeningAddress
            guard let port = address.ipv4?.port else { throw GRPCBackendError.notListening }
            return port
        }
    }

    func run() async throws {
        let server = self.server
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
    }
}

enum GRPCBackendError: Error {
    case notListening
}
