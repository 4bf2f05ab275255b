import ContrailKit
import Testing

@Suite("Function registry")
struct FunctionRegistryTests {
    @Test("Registering a second function under a taken name throws duplicateName and keeps the first")
    func duplicateNameThrows() throws {
        var registry = FunctionRegistry()
        try registry.onMessage("ingest") { _, _ in }

        #expect(throws: RegistrationError.duplicateName("ingest")) {
            try registry.onHTTP("ingest") { _, _ in FunctionResponse() }
        }
        #expect(registry.entries.count == 1)
        guard case .message? = registry["ingest"]?.kind else {
            Issue.record("the first registration was replaced")
            return
        }
        #expect(RegistrationError.duplicateName("ingest").description.contains("'ingest'"))
    }

    @Test(
        "A name that is not a letter then letters, digits, '-' or '_', up to 63 characters, throws invalidName",
        arguments: ["", "1abc", "a b", "_x", "-x", "a/b", "a.b", "é", "query?", String(repeating: "a", count: 64)]
    )
    func invalidNameThrows(name: String) throws {
        var registry = FunctionRegistry()
        let error = #expect(throws: RegistrationError.self) {
            try registry.onMessage(name) { _, _ in }
        }
        guard case .invalidName(let rejected, let reason)? = error else {
            Issue.record("expected invalidName, got \(String(describing: error))")
            return
        }
        #expect(rejected == name)
        #expect(!reason.isEmpty)
        #expect(error?.description.contains("'\(name)' is not a valid function name") == true)
        #expect(registry.entries.isEmpty)
    }

    @Test(
        "A valid name registers and the subscript finds it",
        arguments: ["a", "Z", "ingest", "my-func_2", "query-v2", String(repeating: "a", count: 63)]
    )
    func validNameRegisters(name: String) throws {
        var registry = FunctionRegistry()
        try registry.onHTTP(name) { _, _ in FunctionResponse() }
        #expect(registry[name]?.name == name)
        #expect(registry.entries.map(\.name) == [name])
    }

    @Test("The subscript finds each function by exact name, with its kind and options, and nothing else")
    func subscriptFindsByName() throws {
        var registry = FunctionRegistry()
        let options = FunctionOptions(timeout: .seconds(30), acceptsUnwrappedPayloads: true)
        try registry.onMessage("ingest", options: options) { _, _ in }
        try registry.onHTTP("query") { _, _ in FunctionResponse() }

        let ingest = try #require(registry["ingest"])
        guard case .message = ingest.kind else {
            Issue.record("ingest should be a message function")
            return
        }
        #expect(ingest.options.timeout == .seconds(30))
        #expect(ingest.options.acceptsUnwrappedPayloads)

        let query = try #require(registry["query"])
        guard case .http = query.kind else {
            Issue.record("query should be an HTTP function")
            return
        }
        #expect(query.options.timeout == nil)

        #expect(registry["Ingest"] == nil)
        #expect(registry["missing"] == nil)
        #expect(registry.entries.map(\.name) == ["ingest", "query"])
    }

    @Test("Function types register alongside closures")
    func functionTypesRegister() throws {
        struct Echo: HTTPFunction {
            func onHTTP(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
                .text(request.path)
            }
        }
        var registry = FunctionRegistry()
        try registry.register("echo", Echo())
        #expect(throws: RegistrationError.duplicateName("echo")) { try registry.register("echo", Echo()) }
        #expect(registry.entries.count == 1)
    }
}
