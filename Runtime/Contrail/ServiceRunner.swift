import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Runs a command's services as one group: SIGTERM and SIGINT start a graceful shutdown, which may take at most
/// `drainTimeout`; services stop in reverse order, so list the store before the servers that use it.
enum ServiceRunner {
    static func run(
        _ services: [any Service],
        drainTimeout: Duration,
        logger: Logger,
        portInUse: @autoclosure () -> String
    ) async throws {
        var configuration = ServiceGroupConfiguration(
            // Named by type: the default name is the service's description, and describing a value that has no
            // `description` walks it by reflection, which slows every start.
            services: services.map { .init(service: $0, serviceName: String(describing: type(of: $0))) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = drainTimeout
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw StartupError(portInUse())
        }
    }
}

/// A start-up failure, printed by the argument parser as one line on stderr with a non-zero exit.
struct StartupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
