import ContrailHost
import Foundation
import Logging

/// What `serve` and `dev` do before their own work: read the host's configuration, bootstrap logging, raise the
/// open-file limit, bootstrap telemetry and call the application's set-up with what they learned.
struct ProcessStart {
    let environment: [String: String]
    let configuration: HostConfiguration
    let logger: Logger
    let telemetry: Telemetry
    let setup: FunctionApplication.Setup

    /// - Parameter adjust: changes the host configuration read from the environment before anything uses it.
    init(
        _ application: FunctionApplication,
        adjust: (inout HostConfiguration) -> Void = { _ in }
    ) async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = try HostConfiguration(environment: environment)
        adjust(&configuration)
        LoggingSystem.bootstrap(configuration: configuration, metadataProvider: Telemetry.logMetadata(environment))
        var logger = Logger(label: "contrail")
        logger.logLevel = configuration.logLevel
        OpenFileLimit.raise(logger: logger)
        self.telemetry = try Telemetry.bootstrap(
            environment: environment,
            buckets: application.metricBuckets,
            logger: logger
        )
        self.setup = try await application.setUp(
            FunctionApplication.Context(environment: environment, logger: logger, purpose: .serving)
        )
        self.environment = environment
        self.configuration = configuration
        self.logger = logger
    }
}
