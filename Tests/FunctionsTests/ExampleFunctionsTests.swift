import ContrailKit
import ContrailTesting
import Foundation
import Functions
import HTTPTypes
import Testing

@Suite("The example functions, run in-process with the test kit")
struct ExampleFunctionsTests {
    let client = try! FunctionTestClient(registry: Functions.registry())

    @Test("log acknowledges every delivered message")
    func logAcknowledges() async throws {
        let message = PubSubMessage(id: "42", data: Data("hello".utf8), attributes: ["source": "test"])
        let outcome = await self.client.deliver(message, to: "log")
        #expect(outcome.isAcknowledged)
        #expect(outcome.status == .noContent)
    }

    @Test("echo answers with the method, the path below its mount point and the body size")
    func echoDescribesTheRequest() async throws {
        let response = await self.client.send(method: .post, path: "/echo/orders/7?expand=true", body: Data("abc".utf8))
        #expect(response.status == .ok)
        let echo = try JSONDecoder().decode([String: JSONScalar].self, from: response.body)
        #expect(echo["method"] == .string("POST"))
        #expect(echo["path"] == .string("/orders/7"))
        #expect(echo["query"] == .string("expand=true"))
        #expect(echo["bodyBytes"] == .number(3))
    }
}

/// A JSON string or number, enough to read the echo's flat object.
enum JSONScalar: Decodable, Equatable {
    case string(String)
    case number(Int)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}
