import Contrail
import ContrailKit

let application = FunctionApplication { _ in
    var registry = FunctionRegistry()
    try registry.onHTTP("hello") { request, _ in
        // An empty `?name=` is no name at all, so it greets the world rather than no one.
        let name = try request.queryItems().last { $0.name == "name" && !$0.value.isEmpty }?.value ?? "world"
        return .text("Hello, \(name)!")
    }
    return FunctionApplication.Setup(registry: registry)
}
await application.run()
