import ContrailKit
import ContrailTesting
import GreetingsFunctions
import Testing

@Suite("Greetings stores what is published to its topic and lists it over HTTP")
struct GreetingsTests {
    @Test("a delivered greeting is acknowledged, stored, and listed by GET /greetings")
    func deliveredGreetingIsListed() async throws {
        try await withGreetings { client in
            let outcome = await client.deliver(message("m-1", json: #"{"name":"Ada","language":"en"}"#), to: "greet")
            #expect(outcome.isAcknowledged)
            let listed = try await client.listedGreetings()
            #expect(listed == [StoredGreeting(messageId: "m-1", name: "Ada", language: "en")])
        }
    }

    @Test("a redelivered greeting is acknowledged again and stored once")
    func redeliveryIsStoredOnce() async throws {
        try await withGreetings { client in
            let greeting = message("m-1", json: #"{"name":"Ada","language":"en"}"#)
            #expect(await client.deliver(greeting, to: "greet").isAcknowledged)
            #expect(await client.deliver(greeting, to: "greet").isAcknowledged)
            let listed = try await client.listedGreetings()
            #expect(listed.count == 1)
        }
    }

    @Test(
        "a payload that is not a greeting is refused with 400, as malformed rather than failed, and stores nothing",
        arguments: [#"{"name":"Ada""#, #"{"name":"Ada"}"#, "hello"]
    )
    func malformedPayloadIsRefused(payload: String) async throws {
        try await withGreetings { client in
            let outcome = await client.deliver(message("m-1", json: payload), to: "greet")
            #expect(outcome.status.code == 400)
            let listed = try await client.listedGreetings()
            #expect(listed.isEmpty)
        }
    }
}
