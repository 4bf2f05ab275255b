import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Publish")
struct PublishTests {
    static let path = "/v1/projects/p/topics/orders:publish"

    static func withTopic(_ test: @Sendable (EmulatorClient) async throws -> Void) async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders", [String: Any]())
            try await test(client)
        }
    }

    @Test("Publishing returns one message id per message, in order and increasing")
    func idsInOrder() async throws {
        try await Self.withTopic { client in
            let reply = try await client.send(
                .post,
                Self.path,
                [
                    "messages": [
                        ["data": base64("one")], ["attributes": ["k": "v"]],
                        ["data": base64("three"), "orderingKey": "o"],
                    ]
                ]
            )
            #expect(reply.status == 200)
            let first = (reply.json["messageIds"] as? [String] ?? []).compactMap { UInt64($0) }
            #expect(first.count == 3)
            #expect(zip(first, first.dropFirst()).allSatisfy { $0 < $1 })
            let next = try await client.send(.post, Self.path, ["messages": [["data": base64("four")]]])
            let second = (next.json["messageIds"] as? [String] ?? []).compactMap { UInt64($0) }
            #expect(second.count == 1)
            #expect(second.allSatisfy { $0 > first.max() ?? .max })
        }
    }

    @Test("Publishing to a missing topic answers 404")
    func missingTopic() async throws {
        try await Self.withTopic { client in
            let reply = try await client.send(
                .post,
                "/v1/projects/p/topics/nothere:publish",
                ["messages": [["data": base64("x")]]]
            )
            #expect(reply.status == 404)
        }
    }

    @Test("A message with neither data nor attributes is refused naming the message")
    func emptyMessage() async throws {
        try await Self.withTopic { client in
            let reply = try await client.send(.post, Self.path, ["messages": [["data": base64("x")], [String: Any]()]])
            #expect(reply.status == 400)
            #expect(reply.errorMessage.contains("messages[1]"))
        }
    }

    @Test("More than 100 attributes are refused naming the attributes field")
    func tooManyAttributes() async throws {
        try await Self.withTopic { client in
            let attributes = Dictionary(uniqueKeysWithValues: (0...100).map { ("k\($0)", "v") })
            let reply = try await client.send(.post, Self.path, ["messages": [["attributes": attributes]]])
            #expect(reply.status == 400)
            #expect(reply.errorMessage.contains("messages[0].attributes"))
        }
    }

    @Test("Attribute keys over 256 bytes, values over 1024 bytes and ordering keys over 1024 bytes are refused")
    func oversizeFields() async throws {
        try await Self.withTopic { client in
            let longKey = try await client.send(
                .post,
                Self.path,
                ["messages": [["attributes": [String(repeating: "k", count: 257): "v"]]]]
            )
            #expect(longKey.status == 400)
            let longValue = try await client.send(
                .post,
                Self.path,
                ["messages": [["attributes": ["k": String(repeating: "v", count: 1025)]]]]
            )
            #expect(longValue.status == 400)
            #expect(longValue.errorMessage.contains("messages[0].attributes[k]"))
            let longKeyOrdering = try await client.send(
                .post,
                Self.path,
                ["messages": [["data": base64("x"), "orderingKey": String(repeating: "o", count: 1025)]]]
            )
            #expect(longKeyOrdering.status == 400)
            #expect(longKeyOrdering.errorMessage.contains("orderingKey"))
        }
    }

    @Test("More than 1000 messages or an empty list are refused")
    func messageCount() async throws {
        try await Self.withTopic { client in
            let many = Array(repeating: ["data": base64("x")], count: 1001)
            let tooMany = try await client.send(.post, Self.path, ["messages": many])
            #expect(tooMany.status == 400)
            let none = try await client.send(.post, Self.path, ["messages": [Any]()])
            #expect(none.status == 400)
        }
    }

    @Test("A request over 10,000,000 bytes is refused with 400")
    func oversizeRequest() async throws {
        try await Self.withTopic { client in
            let data = String(repeating: "A", count: 10_000_004)
            let reply = try await client.sendRaw(.post, Self.path, "{\"messages\":[{\"data\":\"\(data)\"}]}")
            #expect(reply.status == 400)
            #expect(reply.errorMessage.contains("10000000"))
        }
    }

    @Test("Data that is not base64 is refused naming the data field")
    func badBase64() async throws {
        try await Self.withTopic { client in
            let reply = try await client.send(.post, Self.path, ["messages": [["data": "not base64!"]]])
            #expect(reply.status == 400)
            #expect(reply.errorMessage.contains("messages[0].data"))
        }
    }

    @Test("An unknown field in a message is refused naming the field")
    func unknownField() async throws {
        try await Self.withTopic { client in
            let reply = try await client.send(.post, Self.path, ["messages": [["data": base64("x"), "colour": "red"]]])
            #expect(reply.status == 400)
            #expect(reply.errorMessage.contains("\"colour\""))
            #expect(reply.errorMessage.contains("messages[0]"))
        }
    }

    @Test("A body that is not JSON is refused with 400")
    func malformedJSON() async throws {
        try await Self.withTopic { client in
            let reply = try await client.sendRaw(.post, Self.path, "{\"messages\": [")
            #expect(reply.status == 400)
            #expect(reply.errorStatus == "INVALID_ARGUMENT")
        }
    }
}
