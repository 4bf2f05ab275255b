public import Foundation
public import Hummingbird
public import Logging

/// The local Pub/Sub service: a store and the REST responder over it, ready to run as a Hummingbird application.
public struct PubSubEmulator: Sendable {
    public let store: PubSubStore
    public let clock: PubSubClock
    /// Signs the OIDC tokens of authenticated pushes; its key set is served at ``PushTokenSigner/jwksPath``.
    public let tokenSigner: PushTokenSigner
    public let configuration: Configuration

    /// - Parameters:
    ///   - path: the SQLite file holding the emulator's state, or `:memory:`.
    ///   - clock: the source of now for publish times, ack deadlines and message ids.
    public init(path: String, clock: PubSubClock = .system, configuration: Configuration = Configuration()) throws {
        self.store = try PubSubStore(path: path)
        self.clock = clock
        self.tokenSigner = PushTokenSigner()
        self.configuration = configuration
    }

    public init(
        store: PubSubStore, clock: PubSubClock = .system, tokenSigner: PushTokenSigner,
        configuration: Configuration = Configuration()
    ) {
        self.store = store
        self.clock = clock
        self.tokenSigner = tokenSigner
        self.configuration = configuration
    }

    /// The REST responder, for embedding in another server or testing with `.router`.
    public var responder: some HTTPResponder<BasicRequestContext> {
        PubSubResponder(
            api: PubSubAPI(store: self.store, clock: self.clock, configuration: self.configuration),
            tokenSigner: self.tokenSigner
        )
    }

    /// An application serving the REST API on `host`:`port` (8085 is the emulator convention).
    public func application(host: String = "127.0.0.1", port: Int = 8085, logger: Logger) -> some ApplicationProtocol {
        Application(
            responder: self.responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "contrail-pubsub"),
            logger: logger
        )
    }
}
