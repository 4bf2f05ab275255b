import ArgumentParser
import ContrailConsole
import ContrailHost
import ContrailKit
import Foundation
import Logging
import PubSubEmulator
import ServiceLifecycle

struct DevCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run the whole pipeline on this machine: the functions host and the local Pub/Sub service.",
        discussion: """
            Starts the functions host on $PORT (default 8080) with the application's functions, the local Pub/Sub \
            service on 127.0.0.1 and ::1 at --pubsub-port (default 8085, state kept in --pubsub-state), creates \
            every topic and push subscription the registered message functions declare as their triggers (with \
            their dead-letter topics), brings existing ones to the declared settings, and prints each function's \
            URL and how to publish. Pushes carry OIDC tokens signed by the local service, which the host verifies \
            (PUSH_AUTH=oidc) unless PUSH_AUTH is set. Messages not yet delivered survive a restart. The local \
            Pub/Sub service refuses requests addressed to other hosts or sent from web pages of other origins, and \
            pushes only to loopback endpoints unless --allow-remote-push-endpoints is given.
            """
    )

    @Option(help: "Port of the local Pub/Sub service.")
    var pubsubPort = 8085

    @Option(help: "Port of the console, the pipeline in a browser (on 127.0.0.1 and ::1).")
    var consolePort = 8086

    @Option(help: "SQLite file holding the local Pub/Sub service's topics, subscriptions and messages.")
    var pubsubState = "pubsub.sqlite"

    @Option(help: "Project of the declared topics and subscriptions.")
    var project = "local-project"

    @Flag(
        help: """
            Let push subscriptions deliver to hosts other than localhost, 127.0.0.1 and [::1]. Off by default, so \
            that nothing reaching the local Pub/Sub service can send messages, and the tokens it signs, elsewhere.
            """
    )
    var allowRemotePushEndpoints = false

    func run(_ application: FunctionApplication) async throws {
        let start = try await ProcessStart(application) { $0.bindAddress = "127.0.0.1" }
        var configuration = start.configuration
        let environment = start.environment
        let logger = start.logger
        let telemetry = start.telemetry
        let setup = start.setup
        let pipeline = DevPipeline(
            registry: setup.registry,
            project: self.project,
            pubsubPort: self.pubsubPort,
            hostPort: configuration.port,
            consolePort: self.consolePort
        )
        // Pushes are verified as in the cloud unless PUSH_AUTH says otherwise (then its companions apply as set).
        // With no push subscription there is no token audience to expect, and nothing to verify.
        if environment["PUSH_AUTH", default: ""].isEmpty, !pipeline.wirings.isEmpty {
            configuration.pushAuthentication = pipeline.pushAuthentication
        }
        let journal = InvocationJournal()
        let host = try setup.functionHost(
            configuration: configuration,
            logger: logger,
            metrics: telemetry.metrics,
            observer: journal
        )
        let emulator = try LocalPubSub(
            path: self.pubsubState,
            configuration: LocalPubSub.Configuration(allowsRemotePushEndpoints: self.allowRemotePushEndpoints)
        )
        let deliverer = PushDeliverer(emulator: emulator)
        let console = Console(
            functions: setup.registry.entries.map {
                Console.Function(name: $0.name, url: pipeline.functionURL($0.name), trigger: $0.trigger)
            },
            journal: journal,
            pubsub: emulator,
            deliverer: deliverer,
            project: self.project
        )
        try await ServiceRunner.run(
            telemetry.services(
                setup.services + [host] + emulator.loopbackServices(port: self.pubsubPort, logger: logger)
                    + console.services(port: self.consolePort, logger: logger) + [
                        PushDeliveryService(deliverer: deliverer),
                        DevSetupService(pipeline: pipeline, emulator: emulator, logger: logger),
                    ]
            ),
            drainTimeout: configuration.drainTimeout,
            logger: logger,
            portInUse:
                "port \(configuration.port), \(self.pubsubPort) or \(self.consolePort) is already in use; set PORT, "
                + "--pubsub-port or --console-port"
        )
    }
}
