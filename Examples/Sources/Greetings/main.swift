import Contrail
import ContrailKit
import GreetingsFunctions

let application = FunctionApplication { context in
    // Read here, at the edge, so that the functions never look at the environment themselves.
    let path = context.environment["GREETINGS_DATABASE"].flatMap { $0.isEmpty ? nil : $0 } ?? "greetings.sqlite"
    let registry = try GreetingsApp.registry(store: GreetingStore(path: path))
    return FunctionApplication.Setup(registry: registry)
}
await application.run()
