import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Message ordering")
struct OrderingTests {
    @Test("With ordering enabled, the next message of a key is pulled only after the previous one is acknowledged")
    func oneOutstandingPerKey() async throws {
        try await EmulatorClient.run(LocalPubSub(path: ":memory:", clock: ManualClock().wallClock)) { client in
            _ = try await client.send(.put, "/v1/projects/p/topics/orders")
            _ = try await client.send(
                .put,
                "/v1/projects/p/subscriptions/ordered",
                ["topic": "projects/p/topics/orders", "enableMessageOrdering": true]
            )
            _ = try await client.send(
                .post,
                "/v1/projects/p/topics/orders:publish",
                [
                    "messages": [
                        ["data": base64("a1"), "orderingKey": "a"], ["data": base64("b1"), "orderingKey": "b"],
                        ["data": base64("a2"), "orderingKey": "a"], ["data": base64("free")],
                    ]
                ]
            )
            let first = try await client.pull("ordered")
            #expect(
                first.compactMap { message($0)["data"] as? String } == [base64("a1"), base64("b1"), base64("free")]
            )
            let ackIds: [String] = first.map { (received: [String: Any]) -> String in received["ackId"] as? String ?? ""
            }
            #expect(ackIds.count == 3)
            let acked = try await client.send(
                .post,
                "/v1/projects/p/subscriptions/ordered:acknowledge",
                ["ackIds": ackIds]
            )
            #expect(acked.status == 200, "\(acked.json)")
            let second = try await client.pull("ordered")
            #expect(second.compactMap { message($0)["data"] as? String } == [base64("a2")])
        }
    }
}
