import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

/// Ids are read from the path as Google reads them, percent-decoded, and only then checked.
@Suite("Resource and project ids")
struct ResourceIdTests {
    static func withEmulator(_ test: @Sendable (EmulatorClient) async throws -> Void) async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:"), test)
    }

    @Test(
        "An id that is invalid once decoded, or not decodable, is refused",
        arguments: [
            "ab%20c", "orders%2Fx", "ab%zz", "ab%C3", "%67oog-topic", "or%00ders",
        ]
    )
    func encodedIds(id: String) async throws {
        try await Self.withEmulator { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            let bodies: [(String, [String: Any])] = [
                ("/v1/projects/p/topics/\(id)", [:]),
                ("/v1/projects/p/subscriptions/\(id)", ["topic": "projects/p/topics/orders"]),
            ]
            for (path, body) in bodies {
                let reply = try await client.send(.put, path, body)
                #expect(reply.status == 400, "\(path)")
                #expect(reply.errorStatus == "INVALID_ARGUMENT")
            }
            let listed = try await client.send(.get, "/v1/projects/p/topics")
            #expect((listed.json["topics"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("An escaped id names the decoded resource, and %25 is how an id holds a %")
    func decodedIds() async throws {
        try await Self.withEmulator { client in
            let escaped = try await client.send(.put, "/v1/projects/p/topics/or%64ers")
            #expect(escaped.json["name"] as? String == "projects/p/topics/orders")
            #expect(try await client.send(.get, "/v1/projects/p/topics/orders").status == 200)
            let percent = try await client.send(.put, "/v1/projects/p/topics/rate%2550")
            #expect(percent.json["name"] as? String == "projects/p/topics/rate%50")
            let published = try await client.send(
                .post,
                "/v1/projects/p/topics/rate%2550:publish",
                ["messages": [["data": base64("x")]]]
            )
            #expect(published.status == 200)
        }
    }

    @Test(
        "A project id that is not one is refused naming the rule, in the path and in a topic name",
        arguments: [
            "My%20Project", "UPPER", "a%2Fb", "-lead", "snake_case", "tab%09", "50%25",
        ]
    )
    func badProject(project: String) async throws {
        try await Self.withEmulator { client in
            let reply = try await client.send(.put, "/v1/projects/\(project)/topics/orders")
            #expect(reply.status == 400, "\(project)")
            #expect(reply.errorStatus == "INVALID_ARGUMENT")
            #expect(reply.errorMessage.contains("project id"), "\(reply.errorMessage)")
            #expect(try await client.send(.get, "/v1/projects/\(project)/topics").status == 400)
            // A slash would break the name's form before its project is read.
            let decoded = try #require(project.removingPercentEncoding)
            guard !decoded.contains("/") else { return }
            let subscription = try await client.send(
                .put,
                "/v1/projects/p/subscriptions/sub1",
                ["topic": "projects/\(decoded)/topics/orders"]
            )
            #expect(subscription.status == 400)
            #expect(subscription.errorMessage.contains("project id"), "\(subscription.errorMessage)")
        }
    }

    @Test(
        "Google's project ids, short local ones, domain-scoped ids and project numbers are accepted",
        arguments: [
            "p", "local-project", "contrail-local", "example.com:app", "123456789012",
        ]
    )
    func goodProject(project: String) async throws {
        try await Self.withEmulator { client in
            let reply = try await client.send(.put, "/v1/projects/\(project)/topics/orders")
            #expect(reply.status == 200, "\(reply.errorMessage)")
            #expect(reply.json["name"] as? String == "projects/\(project)/topics/orders")
        }
    }
}
