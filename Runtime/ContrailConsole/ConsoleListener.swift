import Hummingbird
import Logging
import ServiceLifecycle

/// One address the console listens on.
struct ConsoleListener: Service {
    let responder: RouterResponder<BasicRequestContext>
    let host: String
    let port: Int
    let logger: Logger

    func run() async throws {
        let application = Application(
            responder: self.responder,
            configuration: ApplicationConfiguration(
                address: .hostname(self.host, port: self.port),
                serverName: "contrail-console"
            ),
            logger: self.logger
        )
        try await application.run()
    }
}
