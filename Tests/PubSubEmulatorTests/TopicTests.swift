import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Topics")
struct TopicTests {
    @Test("A topic can be created, read, listed and deleted")
    func lifecycle() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            let created = try await client.send(.put, "/v1/projects/p/topics/orders", [String: Any]())
            #expect(created.status == 200)
            #expect(created.json["name"] as? String == "projects/p/topics/orders")
            let fetched = try await client.send(.get, "/v1/projects/p/topics/orders")
            #expect(fetched.json["name"] as? String == "projects/p/topics/orders")
            let listed = try await client.send(.get, "/v1/projects/p/topics")
            #expect((listed.json["topics"] as? [[String: Any]])?.count == 1)
            #expect(try await client.send(.delete, "/v1/projects/p/topics/orders").status == 200)
            #expect(try await client.send(.get, "/v1/projects/p/topics/orders").status == 404)
        }
    }

    @Test("Creating a topic twice answers 409 ALREADY_EXISTS in Google's shape")
    func duplicate() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            let again = try await client.send(.put, "/v1/projects/p/topics/orders")
            #expect(again.status == 409)
            #expect(again.errorStatus == "ALREADY_EXISTS")
            #expect(again.errorMessage == "Resource already exists in the project (resource=projects/p/topics/orders).")
            let errors = (again.json["error"] as? [String: Any])?["errors"] as? [[String: Any]]
            #expect(errors?.first?["reason"] as? String == "alreadyExists")
        }
    }

    @Test("A missing topic answers 404 NOT_FOUND naming it")
    func missing() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            let reply = try await client.send(.get, "/v1/projects/p/topics/nothere")
            #expect(reply.status == 404)
            #expect(reply.errorStatus == "NOT_FOUND")
            #expect(reply.errorMessage.contains("projects/p/topics/nothere"))
            #expect(try await client.send(.delete, "/v1/projects/p/topics/nothere").status == 404)
        }
    }

    @Test(
        "Topic ids that are too short, start with goog or use bad characters are refused",
        arguments: ["ab", "google-topic", "bad$name", "1starts-with-digit"]
    )
    func badNames(id: String) async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            let reply = try await client.send(.put, "/v1/projects/p/topics/\(id)")
            #expect(reply.status == 400)
            #expect(reply.errorStatus == "INVALID_ARGUMENT")
        }
    }

    @Test("Listing topics pages through them with pageSize and pageToken")
    func paging() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            for id in ["aaa", "bbb", "ccc"] { _ = try await client.send(.put, "/v1/projects/p/topics/\(id)") }
            let first = try await client.send(.get, "/v1/projects/p/topics?pageSize=2")
            #expect((first.json["topics"] as? [[String: Any]])?.count == 2)
            let token = try #require(first.json["nextPageToken"] as? String)
            let second = try await client.send(.get, "/v1/projects/p/topics?pageSize=2&pageToken=\(token)")
            let names = (second.json["topics"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["projects/p/topics/ccc"])
            #expect(second.json["nextPageToken"] == nil)
        }
    }

    @Test("Deleting a topic leaves its subscriptions pointing at _deleted-topic_")
    func deletedTopic() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:")) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            _ = try await client.send(.put, "/v1/projects/p/subscriptions/sub1", ["topic": "projects/p/topics/orders"])
            let listed = try await client.send(.get, "/v1/projects/p/topics/orders/subscriptions")
            #expect(listed.json["subscriptions"] as? [String] == ["projects/p/subscriptions/sub1"])
            _ = try await client.send(.delete, "/v1/projects/p/topics/orders")
            let subscription = try await client.send(.get, "/v1/projects/p/subscriptions/sub1")
            #expect(subscription.json["topic"] as? String == "_deleted-topic_")
        }
    }
}
