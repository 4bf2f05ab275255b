import ArgumentParser
import Foundation
import Logging

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Print the registered functions and the triggers they declare, as JSON.",
        discussion: """
            Prints {"functions":[…]} on standard output: each function's name and kind (message or http) and, for \
            a message function that declares its trigger, the topic, the push subscription, the ack deadline, the \
            retry policy's backoff, the dead-letter topic, the pull subscription that keeps it and the delivery \
            attempts before it, noWrapper and writeMetadata, message ordering and the filter, named as dev \
            creates them. Settings the trigger leaves to Pub/Sub's default are printed with that default, except \
            that an absent retry policy, dead-letter policy, noWrapper or filter is left out. The infrastructure \
            of a deployment is checked against this. It starts nothing, and the application makes its functions \
            without opening what they would use (its store).
            """
    )

    func run(_ application: FunctionApplication) async throws {
        // Standard output carries the JSON alone; whatever set-up logs goes to standard error.
        var logger = Logger(label: "contrail") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let setup = try await application.setUp(
            FunctionApplication.Context(
                environment: ProcessInfo.processInfo.environment,
                logger: logger,
                purpose: .describing
            )
        )
        print(try RegistryDescription(setup.registry).json())
    }
}
