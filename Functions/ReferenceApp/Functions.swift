public import ContrailKit

/// The functions this application offers. The one place they are registered.
public enum Functions {
    public static func registry() throws(RegistrationError) -> FunctionRegistry {
        var registry = FunctionRegistry()
        try registry.register("echo", EchoFunction())
        try registry.register("log", LogMessageFunction())
        return registry
    }
}
