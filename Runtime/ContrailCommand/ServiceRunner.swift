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
            services: services.map { .init(service: $0) },
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
