import ArgumentParser
public import ContrailHost
public import ContrailKit
public import Logging
public import ServiceLifecycle

/// A program that serves a registry of functions: `serve` in the container, `dev` on a laptop with the local
/// Pub/Sub service and the triggers the functions declare, `publish`, and `describe`, which prints the declaration
/// that a deployment's infrastructure is checked against; each with `--help`.
///
/// The application owns `main`; it makes this one value and calls ``run()``:
///
/// ```swift
/// @main
/// struct App {
///     static func main() async {
///         let application = FunctionApplication { _ in
///             var registry = FunctionRegistry()
///             try registry.onMessage("log", trigger: MessageTrigger(topic: "events")) { message, context in
///                 context.logger.info("got \(message.id)")
///             }
///             return FunctionApplication.Setup(registry: registry)
///         }
///         await application.run()
///     }
/// }
/// ```
public struct FunctionApplication: Sendable {
    /// What the process learned before the functions are made: its environment, a logger, and what the functions
    /// are made for.
    public struct Context: Sendable {
        /// Why set-up is called.
        public enum Purpose: Sendable, Hashable {
            /// `serve` or `dev`: the functions will run, so they need what they use (open the store).
            case serving
            /// `describe`: only the registry's declaration is read, and nothing of the setup is started or
            /// called. Make the functions without opening anything they would use (an in-memory store, say), so
            /// that describing a program never touches its data.
            case describing
        }

        public let environment: [String: String]
        public let logger: Logger
        public let purpose: Purpose
    }

    /// The application's functions and what they need: services started before the host and stopped after it
    /// (a database pool), and checks that `/_/health` reports.
    public struct Setup: Sendable {
        public var registry: FunctionRegistry
        public var services: [any Service]
        public var healthChecks: [any HealthCheck]

        public init(registry: FunctionRegistry, services: [any Service] = [], healthChecks: [any HealthCheck] = []) {
            self.registry = registry
            self.services = services
            self.healthChecks = healthChecks
        }
    }

    /// Histogram buckets for the application's own metrics, by metric name.
    public struct MetricBuckets: Sendable {
        public var values: [String: [Double]]
        public var durations: [String: [Duration]]

        public init(values: [String: [Double]] = [:], durations: [String: [Duration]] = [:]) {
            self.values = values
            self.durations = durations
        }
    }

    let metricBuckets: MetricBuckets
    let setUp: @Sendable (Context) async throws -> Setup

    /// - Parameters:
    ///   - metricBuckets: buckets for the application's histograms; others use the defaults.
    ///   - setUp: makes the functions once the command has read its environment. `publish` and `--help` never
    ///     call it, so opening a store here costs nothing to them; `describe` calls it with
    ///     ``Context/Purpose-swift.enum/describing``, when it should open nothing.
    public init(
        metricBuckets: MetricBuckets = MetricBuckets(),
        setUp: @escaping @Sendable (Context) async throws -> Setup
    ) {
        self.metricBuckets = metricBuckets
        self.setUp = setUp
    }

    /// Runs the command the process's arguments name, and exits with a one-line error when it fails.
    public func run() async {
        do {
            var command = try RootCommand.parseAsRoot()
            switch command {
            case let serve as ServeCommand:
                try await serve.run(self)
            case let dev as DevCommand:
                try await dev.run(self)
            case let describe as DescribeCommand:
                try await describe.run(self)
            case var asynchronous as any AsyncParsableCommand:
                try await asynchronous.run()
            default:
                try command.run()
            }
        } catch {
            RootCommand.exit(withError: error)
        }
    }
}

extension FunctionApplication.Setup {
    /// The host serving this registry, reporting the health checks at `/_/health` and `metrics` at `/_/metrics`.
    func functionHost(
        configuration: HostConfiguration,
        logger: Logger,
        metrics: MetricsExposition,
        observer: (any InvocationObserver)? = nil
    ) throws
        -> FunctionHost
    {
        try FunctionHost(
            registry: self.registry,
            configuration: configuration,
            logger: logger,
            healthChecks: self.healthChecks,
            metrics: metrics,
            observer: observer
        )
    }
}
