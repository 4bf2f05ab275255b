public import ContrailKit
public import Foundation
public import Hummingbird
import HummingbirdCore
public import Logging

/// The local Pub/Sub service: a store and the REST responder over it, ready to run as a Hummingbird application.
public struct LocalPubSub: Sendable {
    public let store: PubSubStore
    public let clock: WallClock
    /// Signs the OIDC tokens of authenticated pushes; its key set is served at ``PushTokenSigner/jwksPath``.
    public let tokenSigner: PushTokenSigner
    public let configuration: Configuration

    /// - Parameters:
    ///   - path: the SQLite file holding the emulator's state, or `:memory:`.
    ///   - clock: the source of now for publish times, ack deadlines and message ids.
    public init(path: String, clock: WallClock = .system, configuration: Configuration = Configuration()) throws {
        self.store = try PubSubStore(path: path)
        self.clock = clock
        self.tokenSigner = PushTokenSigner(clock: clock)
        self.configuration = configuration
    }

    public init(
        store: PubSubStore,
        clock: WallClock = .system,
        tokenSigner: PushTokenSigner,
        configuration: Configuration = Configuration()
    ) {
        self.store = store
        self.clock = clock
        self.tokenSigner = tokenSigner
        self.configuration = configuration
    }

    var api: PubSubAPI {
        PubSubAPI(store: self.store, clock: self.clock, configuration: self.configuration)
    }

    /// The REST responder, for embedding in another server or testing with `.router`.
    public var responder: some HTTPResponder<BasicRequestContext> {
        PubSubResponder(api: self.api, tokenSigner: self.tokenSigner)
    }

    /// An application serving the REST API alone on `host`:`port` (8085 is the emulator convention); the
    /// services of ``loopbackServices(port:logger:)`` serve gRPC as well.
    public func application(host: String = "127.0.0.1", port: Int = 8085, logger: Logger) -> some ApplicationProtocol {
        self.application(host: host, port: port, logger: logger, grpc: nil)
    }

    /// With `grpc`, connections that open with HTTP/2 go to it and the rest to the REST API.
    func application(host: String, port: Int, logger: Logger, grpc: GRPCBackend?) -> some ApplicationProtocol {
        let server: HTTPServerBuilder
        if let grpc {
            server = HTTPServerBuilder { responder in
                PubSubChildChannel(http1: HTTP1Channel(responder: responder), grpc: grpc)
            }
        } else {
            server = .http1()
        }
        return Application(
            responder: self.responder,
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port),
                serverName: "contrail-pubsub"
            ),
            logger: logger
        )
    }
}
