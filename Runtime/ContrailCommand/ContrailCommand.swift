import ArgumentParser

/// `contrail`: host functions as Cloud Run does, and run the whole pipeline locally.
@main
struct ContrailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contrail",
        abstract: "A Swift runtime and local emulator for functions on Google Cloud Run.",
        subcommands: [ServeCommand.self, DevCommand.self, PublishCommand.self]
    )
}
