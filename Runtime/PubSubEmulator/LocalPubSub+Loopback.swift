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
                logger: logger
            ),
        ]
    }
}

/// Runs a listener on `::1`, treating a missing IPv6 stack as absence rather than failure.
struct IPv6LoopbackListener<Listener: Service>: Service {
    let application: Listener
    let logger: Logger

    func run() async throws {
        do {
            try await self.application.run()
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL || error.errnoCode == EAFNOSUPPORT {
            self.logger.notice("IPv6 loopback is unavailable; the Pub/Sub service listens on 127.0.0.1 only")
            try await gracefulShutdown()
        }
    }
}
