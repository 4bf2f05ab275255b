public import ContrailHost
public import ContrailKit
public import HTTPTypes
public import Logging

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Runs a registry's functions in-process, through the same routing, decoding and outcome→status mapping as the
/// server, without a socket.
///
/// ```swift
/// let client = try FunctionTestClient(registry: Functions.registry())
/// let outcome = await client.deliver(PubSubMessage(id: "1", data: Data("hi".utf8)), to: "ingest")
/// #expect(outcome.isAcknowledged)
/// ```
public struct FunctionTestClient: Sendable {
    public let router: FunctionRouter
    private let registry: FunctionRegistry

    public init(
        registry: FunctionRegistry,
        configuration: HostConfiguration = HostConfiguration(),
        logger: Logger = Logger(label: "contrail.test")
    ) throws(ConfigurationError) {
        self.registry = registry
        self.router = try FunctionRouter(registry: registry, configuration: configuration, logger: logger)
    }

    /// Delivers `message` to the message function `name` as Pub/Sub's wrapped push body.
    public func deliver(
        _ message: PubSubMessage,
        to name: String,
        subscription: String = "projects/test-project/subscriptions/test-subscription"
    ) async -> DeliveryOutcome {
        let body = PushBody(message: message, subscription: message.subscription ?? subscription)
        let response = await self.send(
            method: .post,
            path: "/\(name)",
            headerFields: [.contentType: "application/json"],
            body: body.encoded()
        )
        return DeliveryOutcome(response: response)
    }

    /// Sends a request as a client would; `path` is the full path, e.g. `/query/records?limit=1`.
    public func send(
        method: HTTPRequest.Method = .get,
        path: String,
        headerFields: HTTPFields = [:],
        body: Data = Data()
    ) async -> FunctionResponse {
        let head = HTTPRequest(
            method: method,
            scheme: "http",
            authority: "localhost",
            path: path,
            headerFields: headerFields
        )
        return await self.router.respond(to: head, body: body)
    }

    /// Runs every start-up hook, then `body`, then every shutdown hook, as the host does around serving.
    public func withLifecycle<Result>(_ body: () async throws -> Result) async throws -> Result {
        for function in self.registry.entries {
            try await function.options.onStartup?(Logger(label: "contrail.test.\(function.name)"))
        }
        let result: Result
        do {
            result = try await body()
        } catch {
            await self.runShutdownHooks()
            throw error
        }
        await self.runShutdownHooks()
        return result
    }

    private func runShutdownHooks() async {
        for function in self.registry.entries {
            try? await function.options.onShutdown?(Logger(label: "contrail.test.\(function.name)"))
        }
    }
}

/// How a delivery ended, as Pub/Sub would judge it.
public struct DeliveryOutcome: Sendable {
    public let response: FunctionResponse

    public var status: HTTPResponse.Status { self.response.status }

    /// Pub/Sub acknowledges on 102, 200, 201, 202 and 204 only; anything else is redelivered.
    public var isAcknowledged: Bool { [102, 200, 201, 202, 204].contains(self.status.code) }

    /// The `message` of the Google API error body, if the response has one.
    public var errorMessage: String? {
        struct Body: Decodable {
            struct Detail: Decodable { let message: String }
            let error: Detail
        }
        return (try? JSONDecoder().decode(Body.self, from: self.response.body))?.error.message
    }
}
