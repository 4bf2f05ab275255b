import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Persistence")
struct PersistenceTests {
    @Test("Reopening the store from its file keeps topics, subscriptions and unacknowledged messages")
    func reopen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("pubsub.sqlite").path
        let clock = ManualClock()

        try await EmulatorClient.run(LocalPubSub(path: path, clock: clock.wallClock)) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            _ = try await client.send(.put, "/v1/projects/p/subscriptions/sub1", ["topic": "projects/p/topics/orders"])
            _ = try await client.send(
                .post,
                "/v1/projects/p/topics/orders:publish",
                ["messages": [["data": base64("kept")], ["data": base64("acked")]]]
            )
            let received = try await client.pull("sub1", max: 1)
            #expect(received.count == 1)
        }
        clock.advance(seconds: 10)

        try await EmulatorClient.run(LocalPubSub(path: path, clock: clock.wallClock)) { client in
            #expect(try await client.send(.get, "/v1/projects/p/topics/orders").status == 200)
            let received = try await client.pull("sub1")
            let data = received.compactMap { message($0)["data"] as? String }
            #expect(data == [base64("kept"), base64("acked")])
            let earlier = received.compactMap { (message($0)["messageId"] as? String).flatMap { UInt64($0) } }
            let next = try await client.send(
                .post,
                "/v1/projects/p/topics/orders:publish",
                ["messages": [["data": base64("x")]]]
            )
            let ids = (next.json["messageIds"] as? [String] ?? []).compactMap { UInt64($0) }
            #expect(ids.count == 1)
            #expect(ids.allSatisfy { $0 > earlier.max() ?? .max })
        }
    }
}
