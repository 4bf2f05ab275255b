import ContrailHost
import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Testing

/// An error whose text must never reach a client.
private struct LeakyError: Error, CustomStringConvertible {
    var description: String { "connection to postgres://admin:hunter2@db failed" }
}

@Suite("Outcome to status mapping")
struct OutcomeStatusTests {
    private let received = Received()
    private let client: FunctionTestClient

    init() throws {
        var registry = FunctionRegistry()
        let received = self.received
        try registry.onMessage("record") { message, _ in await received.record(message) }
        try registry.onMessage("fail") { _, _ in throw LeakyError() }
        try registry.onMessage("refuse") { _, _ in
            throw FunctionError(.badRequest, "field 'reading' must be a number")
        }
        try registry.onMessage("slow", options: FunctionOptions(timeout: .milliseconds(50))) { _, _ in
            try await Task.sleep(for: .seconds(10))
        }
        try registry.onHTTP("page") { _, _ in throw LeakyError() }
        try registry.onHTTP("missing") { _, _ in throw FunctionError(.notFound, "x") }
        self.client = try FunctionTestClient(registry: registry)
    }

    private func post(_ path: String, _ body: String) async -> FunctionResponse {
        await self.client.send(
            method: .post,
            path: path,
            headerFields: [.contentType: "application/json"],
            body: Data(body.utf8)
        )
    }

    @Test("A handled message answers 204 once the handler has run")
    func handledAnswers204() async throws {
        let message = PubSubMessage(id: "m-1", data: Data("hello".utf8), attributes: ["k": "v"])
        let outcome = await self.client.deliver(message, to: "record")

        #expect(outcome.status == .noContent)
        #expect(outcome.isAcknowledged)
        #expect(outcome.response.body.isEmpty)
        let delivered = await self.received.messages
        #expect(delivered.count == 1)
        #expect(delivered.first?.id == "m-1")
        #expect(delivered.first?.text == "hello")
        #expect(delivered.first?.attributes == ["k": "v"])
        #expect(delivered.first?.subscription == "projects/test-project/subscriptions/test-subscription")
    }

    @Test("A handler that throws answers 500 with X-Google-Status: error and no internals in the body")
    func thrownErrorAnswers500() async throws {
        let outcome = await self.client.deliver(PubSubMessage(id: "m-2", data: Data("x".utf8)), to: "fail")

        #expect(outcome.status == .internalServerError)
        #expect(!outcome.isAcknowledged)
        #expect(outcome.response.headerFields[HTTPField.Name("x-google-status")!] == "error")
        #expect(outcome.response.headerFields[.contentType] == "application/json")
        let body = try GoogleErrorBody(outcome.response.body)
        #expect(body.error.code == 500)
        #expect(body.error.status == "INTERNAL")
        #expect(!body.error.message.isEmpty)
        let text = try #require(String(data: outcome.response.body, encoding: .utf8))
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("postgres"))
    }

    @Test("A body that is not a delivery answers 400 INVALID_ARGUMENT and the handler does not run")
    func notADeliveryAnswers400() async throws {
        let response = await self.post("/record", #"{"hello":"world"}"#)

        #expect(response.status == .badRequest)
        let body = try GoogleErrorBody(response.body)
        let advice = DeliveryError.notADelivery.description
        #expect(body.error == .init(code: 400, status: "INVALID_ARGUMENT", message: advice))
        #expect(response.headerFields[HTTPField.Name("x-google-status")!] == nil)
        #expect(await self.received.messages.isEmpty)
    }

    @Test("A malformed delivery answers 400 with the decoder's advice as the message")
    func malformedDeliveryAnswers400() async throws {
        let response = await self.post("/record", #"{"message":{"data":"aGk="}}"#)

        #expect(response.status == .badRequest)
        let body = try GoogleErrorBody(response.body)
        #expect(body.error.message == DeliveryError.missingField("message.messageId").description)
        #expect(await self.received.messages.isEmpty)
    }

    @Test("A handler past its deadline answers 504 DEADLINE_EXCEEDED without waiting for it")
    func deadlineAnswers504() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await self.client.deliver(PubSubMessage(id: "m-3", data: Data("x".utf8)), to: "slow")
        let elapsed = started.duration(to: clock.now)

        #expect(outcome.status == .gatewayTimeout)
        #expect(!outcome.isAcknowledged)
        #expect(outcome.response.headerFields[HTTPField.Name("x-google-status")!] == "error")
        let body = try GoogleErrorBody(outcome.response.body)
        #expect(body.error.code == 504)
        #expect(body.error.status == "DEADLINE_EXCEEDED")
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }

    @Test("A handler that throws FunctionError(.badRequest) answers 400 with its message")
    func functionErrorChoosesItsStatus() async throws {
        let outcome = await self.client.deliver(PubSubMessage(id: "m-4", data: Data("x".utf8)), to: "refuse")

        #expect(outcome.status == .badRequest)
        #expect(outcome.errorMessage == "field 'reading' must be a number")
        let body = try GoogleErrorBody(outcome.response.body)
        #expect(body.error.status == "INVALID_ARGUMENT")
        #expect(outcome.response.headerFields[HTTPField.Name("x-google-status")!] == nil)
    }

    @Test("A message function answers GET with 405 and Allow: POST", arguments: [HTTPRequest.Method.get, .put])
    func wrongMethodAnswers405(method: HTTPRequest.Method) async throws {
        let response = await self.client.send(method: method, path: "/record")

        #expect(response.status == .methodNotAllowed)
        #expect(response.headerFields[.allow] == "POST")
        let body = try GoogleErrorBody(response.body)
        #expect(body.error.code == 405)
        #expect(await self.received.messages.isEmpty)
    }

    @Test("An HTTP function that throws answers 500 in the error shape with no internals")
    func httpFunctionThrowAnswers500() async throws {
        let response = await self.client.send(method: .get, path: "/page")

        #expect(response.status == .internalServerError)
        let body = try GoogleErrorBody(response.body)
        #expect(body.error.code == 500)
        #expect(body.error.status == "INTERNAL")
        let text = try #require(String(data: response.body, encoding: .utf8))
        #expect(!text.contains("hunter2"))
    }

    @Test("An HTTP function that throws FunctionError(.notFound) answers 404 with its message")
    func httpFunctionErrorChoosesItsStatus() async throws {
        let response = await self.client.send(method: .get, path: "/missing/thing")

        #expect(response.status == .notFound)
        #expect(try GoogleErrorBody(response.body).error == .init(code: 404, status: "NOT_FOUND", message: "x"))
    }

    @Test("/robots.txt and /favicon.ico answer 404", arguments: ["/robots.txt", "/favicon.ico"])
    func browserPathsAnswer404(path: String) async throws {
        let response = await self.client.send(method: .get, path: path)

        #expect(response.status == .notFound)
        #expect(try GoogleErrorBody(response.body).error.status == "NOT_FOUND")
    }

    @Test("/_/health answers 200 with status ok")
    func healthAnswers200() async throws {
        let response = await self.client.send(method: .get, path: "/_/health")

        #expect(response.status == .ok)
        let body = try JSONDecoder().decode([String: String].self, from: response.body)
        #expect(body == ["status": "ok"])
    }

    @Test(
        "A path that names no function answers 404 in the error shape",
        arguments: ["/nope", "/nope/deeper", "/_/other"]
    )
    func unknownPathAnswers404(path: String) async throws {
        let response = await self.client.send(method: .get, path: path)

        #expect(response.status == .notFound)
        let body = try GoogleErrorBody(response.body)
        #expect(body.error.code == 404)
        #expect(body.error.message.contains(path))
    }
}
