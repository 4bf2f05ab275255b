/// The functions an application offers, by name. Built once, in one place, and handed to the host.
///
/// ```swift
/// var registry = FunctionRegistry()
/// try registry.register("ingest", IngestFunction(store: store))
/// try registry.register("query", QueryFunction(store: store))
/// ```
public struct FunctionRegistry: Sendable {
    public private(set) var entries: [RegisteredFunction] = []

    public init() {}

    /// Registers a message function, fed by `trigger` when it declares one.
    /// - Throws: ``RegistrationError`` when the name is taken or not a valid path segment.
    public mutating func register(
        _ name: String,
        _ function: some MessageFunction,
        trigger: MessageTrigger? = nil,
        options: FunctionOptions = FunctionOptions()
    ) throws(RegistrationError) {
        try self.add(RegisteredFunction(name: name, kind: .message(function), trigger: trigger, options: options))
    }

    /// Registers an HTTP function.
    /// - Throws: ``RegistrationError`` when the name is taken or not a valid path segment.
    public mutating func register(
        _ name: String,
        _ function: some HTTPFunction,
        options: FunctionOptions = FunctionOptions()
    ) throws(RegistrationError) {
        try self.add(RegisteredFunction(name: name, kind: .http(function), trigger: nil, options: options))
    }

    /// Registers a closure as a message function.
    public mutating func onMessage(
        _ name: String,
        trigger: MessageTrigger? = nil,
        options: FunctionOptions = FunctionOptions(),
        _ body: @escaping @Sendable (PubSubMessage, FunctionContext) async throws -> Void
    ) throws(RegistrationError) {
        try self.register(name, ClosureMessageFunction(body), trigger: trigger, options: options)
    }

    /// Registers a closure as an HTTP function.
    public mutating func onHTTP(
        _ name: String,
        options: FunctionOptions = FunctionOptions(),
        _ body: @escaping @Sendable (FunctionRequest, FunctionContext) async throws -> FunctionResponse
    ) throws(RegistrationError) {
        try self.register(name, ClosureHTTPFunction(body), options: options)
    }

    /// The function registered under `name`.
    public subscript(name: String) -> RegisteredFunction? {
        self.entries.first { $0.name == name }
    }

    private mutating func add(_ entry: RegisteredFunction) throws(RegistrationError) {
        try RegistrationError.validate(name: entry.name)
        guard self[entry.name] == nil else { throw .duplicateName(entry.name) }
        self.entries.append(entry)
    }
}

/// A function as the registry holds it.
public struct RegisteredFunction: Sendable {
    public enum Kind: Sendable {
        case message(any MessageFunction)
        case http(any HTTPFunction)
    }

    public let name: String
    public let kind: Kind
    /// What feeds a message function, when it declares it; always `nil` for an HTTP function.
    public let trigger: MessageTrigger?
    public let options: FunctionOptions
}
