public import ContrailKit
import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
public import ServiceLifecycle

/// The functions host as a service: runs start-up hooks, serves the registry on `0.0.0.0:$PORT` until a graceful
/// shutdown, lets in-flight requests finish, then runs shutdown hooks.
///
/// Run it in a `ServiceGroup` with SIGTERM and SIGINT as graceful shutdown signals; Cloud Run sends SIGTERM and
/// allows 10 s before SIGKILL.
public struct FunctionHost: Service {
    private let registry: FunctionRegistry
    private let router: FunctionRouter
    private let configuration: HostConfiguration
    private let logger: Logger
    private let onListening: @Sendable (_ port: Int) async -> Void

    /// - Parameters:
    ///   - metrics: served at `/_/metrics`; without it that path answers 404.
    ///   - observer: told of every invocation once its response is made (`contrail dev`'s console).
    ///   - onListening: called once the socket is bound, with the port actually bound (useful with port 0).
    /// - Throws: ``ConfigurationError`` when `FUNCTION_TARGET` names no registered function.
    public init(
        registry: FunctionRegistry,
        configuration: HostConfiguration,
        logger: Logger,
        healthChecks: [any HealthCheck] = [],
        metrics: MetricsExposition? = nil,
        observer: (any InvocationObserver)? = nil,
        onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) throws(ConfigurationError) {
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        self.onListening = onListening
        self.router = try FunctionRouter(
            registry: registry,
            configuration: configuration,
            logger: logger,
            health: HostHealth(checks: healthChecks),
            metrics: metrics,
            observer: observer
        )
    }

    public func run() async throws {
        try await self.runHooks(\.onStartup, phase: "startup")
        let logger = self.logger
        let onListening = self.onListening
        let configuration = self.configuration
        let application = Application(
            responder: self.router.responder,
            server: .http1(
                configuration: HTTP1Channel.Configuration(
                    additionalChannelHandlers: [CloseAfterResponseHandler()],
                    idleTimeout: TimeAmount(configuration.idleTimeout)
                )
            ),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.bindAddress, port: configuration.port),
                serverName: nil,
                availableConnectionsDelegate: .maximum(OpenFileLimit.connectionCapacity(), logger: logger)
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info(
                    "listening on \(configuration.bindAddress):\(port)",
                    metadata: [
                        "port": .stringConvertible(port), "function_target": "\(configuration.functionTarget ?? "")",
                    ]
                )
                await onListening(port)
            },
            logger: logger
        )
        let health = self.router.health
        do {
            try await withGracefulShutdownHandler {
                try await application.run()
            } onGracefulShutdown: {
                health.beginDraining()
                logger.info("draining: finishing in-flight requests before exit")
            }
        } catch {
            await self.runHooksIgnoringCancellation()
            throw error
        }
        await self.runHooksIgnoringCancellation()
    }

    /// Shutdown hooks run even when the drain was cut short, in a task of their own so that the cancellation of
    /// the host does not cancel them.
    private func runHooksIgnoringCancellation() async {
        let host = self
        await Task {
            do {
                try await host.runHooks(\.onShutdown, phase: "shutdown")
            } catch {
                host.logger.error("a shutdown hook failed", metadata: ["error": "\(error)"])
            }
        }.value
    }

    private func runHooks(_ hook: KeyPath<FunctionOptions, FunctionOptions.LifecycleHook?>, phase: String) async throws
    {
        for function in self.registry.entries {
            guard let body = function.options[keyPath: hook] else { continue }
            var logger = self.logger
            logger[metadataKey: "function"] = .string(function.name)
            do {
                try await body(logger)
            } catch {
                throw LifecycleHookError(function: function.name, phase: phase, underlying: error)
            }
        }
    }
}

/// A start-up or shutdown hook threw.
public struct LifecycleHookError: Error, CustomStringConvertible {
    public let function: String
    public let phase: String
    public let underlying: any Error

    public var description: String {
        "the \(self.phase) hook of function '\(self.function)' failed: \(self.underlying)"
    }
}
