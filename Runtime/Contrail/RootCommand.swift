import ArgumentParser
import Foundation

/// The command line of a ``FunctionApplication``, named after the executable.
struct RootCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Self.programName,
            abstract: "Functions served as on Google Cloud Run, and the local pipeline that feeds them.",
            subcommands: [ServeCommand.self, DevCommand.self, PublishCommand.self, DescribeCommand.self]
        )
    }

    /// The name the program was started under, for help texts and the commands `dev` prints.
    static var programName: String {
        CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "contrail"
    }
}
