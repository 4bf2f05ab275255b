import ContrailKit
import Foundation
import GRDB
import HTTPTypes
import PubSubEmulator
import Testing

/// A subscriber deduplicates on (subscription, messageId), so an id that comes back means a message that is lost.
@Suite("Message ids")
struct MessageIdTests {
    static func publish(_ client: EmulatorClient, count: Int = 1) async throws -> [String] {
        let messages = (0..<count).map { ["data": base64("m\($0)")] }
        let reply = try await client.send(.post, "/v1/projects/p/topics/orders:publish", ["messages": messages])
        #expect(reply.status == 200)
        return reply.json["messageIds"] as? [String] ?? []
    }

    @Test("Ids within a batch and across batches are distinct decimal strings in publish order")
    func increasing() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:", clock: ManualClock().wallClock)) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            let ids = try await Self.publish(client, count: 5) + Self.publish(client, count: 3)
            #expect(ids.count == 8)
            #expect(ids.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
            let numbers = ids.compactMap { UInt64($0) }
            #expect(numbers.count == 8)
            #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test("A topic deleted and created again never hands out an id it handed out before")
    func recreatedTopic() async throws {
        // The clock stands still: only the sequence may keep the ids apart.
        try await EmulatorClient.run(LocalPubSub(path: ":memory:", clock: ManualClock().wallClock)) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            let before = try await Self.publish(client, count: 3)
            #expect(try await client.send(.delete, "/v1/projects/p/topics/orders").status == 200)
            #expect(try await client.send(.put, "/v1/projects/p/topics/orders").status == 200)
            let after = try await Self.publish(client, count: 3)
            #expect(after.count == 3)
            #expect(Set(before).isDisjoint(with: after))
        }
    }

    @Test("Topics share one sequence, so two topics never hand out the same id")
    func acrossTopics() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:", clock: ManualClock().wallClock)) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            _ = try await client.send(.put, "/v1/projects/p/topics/refunds")
            let orders = try await Self.publish(client, count: 2)
            let reply = try await client.send(
                .post,
                "/v1/projects/p/topics/refunds:publish",
                ["messages": [["data": base64("r")], ["data": base64("s")]]]
            )
            let refunds = reply.json["messageIds"] as? [String] ?? []
            #expect(refunds.count == 2)
            #expect(Set(orders).isDisjoint(with: refunds))
        }
    }

    @Test("A new state file starts above every id an earlier one handed out")
    func freshState() async throws {
        let clock = ManualClock()
        let earlier = try await Self.idsFromFreshState(clock: clock, count: 1000)
        // A thousand ids in one microsecond run a millisecond ahead of the clock; a restart takes longer than that.
        clock.advance(seconds: 1)
        let later = try await Self.idsFromFreshState(clock: clock, count: 3)
        let highest = try #require(earlier.compactMap { UInt64($0) }.max())
        #expect(later.count == 3)
        #expect(later.allSatisfy { (UInt64($0) ?? 0) > highest })
    }

    static func idsFromFreshState(clock: ManualClock, count: Int) async throws -> [String] {
        let ids = IdBox()
        try await EmulatorClient.run(LocalPubSub(path: ":memory:", clock: clock.wallClock)) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            await ids.set(try await Self.publish(client, count: count))
        }
        return await ids.value
    }
}

/// Carries the ids out of a `@Sendable` test body.
actor IdBox {
    private(set) var value: [String] = []
    func set(_ value: [String]) { self.value = value }
}

extension MessageIdTests {
    @Test("A state file from the per-topic counters keeps its messages and never hands out one of their ids again")
    func previousVersionState() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("pubsub.sqlite").path
        try Self.writePreviousVersionState(path: path)

        // A clock at 1970 leaves the state file's own ids as the only floor.
        let epoch = WallClock { Timestamp(microsecondsSinceEpoch: 0) }
        try await EmulatorClient.run(LocalPubSub(path: path, clock: epoch)) { client in
            let kept = try await client.pull("sub1")
            #expect(kept.compactMap { message($0)["messageId"] as? String } == ["2", "3"])
            _ = try await client.send(.put, "/v1/projects/p/topics/refunds")
            let reply = try await client.send(
                .post,
                "/v1/projects/p/topics/refunds:publish",
                ["messages": [["data": base64("x")]]]
            )
            #expect(reply.json["messageIds"] as? [String] == ["4"])
            #expect(try await Self.publish(client) == ["5"])
        }
    }

    /// What the previous version left: topic `orders` numbered up to 3, with messages 2 and 3 not yet acknowledged.
    static func writePreviousVersionState(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try PubSubMigrations.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO topics (name, project, config, next_message_id) VALUES ('projects/p/topics/orders', 'p', '{}', 4);
                    INSERT INTO subscriptions (name, project, topic, config, ack_deadline_seconds)
                    VALUES ('projects/p/subscriptions/sub1', 'p', 'projects/p/topics/orders', '{}', 10);
                    INSERT INTO messages (topic, message_id, data, attributes, publish_time)
                    VALUES ('projects/p/topics/orders', '2', x'61', '{}', 0), ('projects/p/topics/orders', '3', x'62', '{}', 0);
                    INSERT INTO deliveries (subscription, message_seq) VALUES ('projects/p/subscriptions/sub1', 1),
                    ('projects/p/subscriptions/sub1', 2);
                    """
            )
        }
    }
}
