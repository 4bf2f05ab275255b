import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import InMemoryLogging
import Logging

/// A registry with one message function, `ingest`, and one HTTP function, `page`, behind a router that
/// authenticates pushes with the verifier under test.
struct PushEndpoint {
    static let body = Data(
        #"{"message":{"messageId":"m-1","data":"aGk="},"subscription":"projects/p/subscriptions/s"}"#.utf8
    )

    let received = Received()
    let logs = InMemoryLogHandler()
    let router: FunctionRouter

    init(verifier: (any PushVerifier)?, configuration: HostConfiguration = HostConfiguration()) throws {
        var registry = FunctionRegistry()
        let received = self.received
        try registry.onMessage("ingest") { message, _ in await received.record(message) }
        try registry.onHTTP("page") { _, _ in .text("open to all") }
        let logs = self.logs
        self.router = try FunctionRouter(
            registry: registry,
            configuration: configuration,
            logger: Logger(label: "test", factory: { _ in logs }),
            pushVerifier: verifier
        )
    }

    /// Pushes one wrapped message to `ingest`, with `Authorization: <authorization>` when given.
    func push(authorization: String?, body: Data = PushEndpoint.body) async -> FunctionResponse {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let authorization { fields[.authorization] = authorization }
        let head = HTTPRequest(
            method: .post,
            scheme: "https",
            authority: "localhost",
            path: "/ingest",
            headerFields: fields
        )
        return await self.router.respond(to: head, body: body)
    }

    /// Pushes with `Authorization: Bearer <token>`.
    func push(token: String) async -> FunctionResponse {
        await self.push(authorization: "Bearer \(token)")
    }

    var handledCount: Int {
        get async { await self.received.messages.count }
    }
}
