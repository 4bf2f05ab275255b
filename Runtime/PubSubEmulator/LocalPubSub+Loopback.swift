import Foundation
import Hummingbird
public import Logging
import NIOCore
public import ServiceLifecycle

extension LocalPubSub {
    /// The REST and gRPC APIs on both loopback addresses, IPv4 and IPv6, at `port`, as Google's emulator serves
    /// both on one address: clients that resolve `localhost` to `::1` (as `PUBSUB_EMULATOR_HOST=localhost:8085`
    /// often does) reach it as well as those that use 127.0.0.1.
    ///
    /// A machine without IPv6 serves on 127.0.0.1 alone and says so in the log.
    public func loopbackServices(port: Int, logger: Logger) -> [any Service] {
        let grpc = GRPCBackend(api: self.api)
        return [
            grpc,
            self.application(host: "127.0.0.1", port: port, logger: logger, grpc: grpc),
            IPv6LoopbackListener(
                application: self.application(host: "::1", port: port, logger: logger, grpc: grpc),
                serviceName: "the Pub/Sub service",
                logger: logger
            ),
        ]
    }
}

/// Runs a listener on `::1`, treating a missing IPv6 stack as absence rather than failure.
package struct IPv6LoopbackListener<Listener: Service>: Service {
    let application: Listener
    /// What listens, for the log line, as in "the Pub/Sub service".
    let serviceName: String
    let logger: Logger

    package init(application: Listener, serviceName: String, logger: Logger) {
        self.application = application
        self.serviceName = serviceName
        self.logger = logger
    }

    package func run() async throws {
        do {
            try await self.application.run()
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL || error.errnoCode == EAFNOSUPPORT {
            self.logger.notice("IPv6 loopback is unavailable; \(self.serviceName) listens on 127.0.0.1 only")
            try await gracefulShutdown()
        }
    }
}
