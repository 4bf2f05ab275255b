import ContrailKit
import ContrailTesting
import Foundation
import HTTPTypes
import Testing

@Suite("ingest stores each message once")
struct IngestTests {
    @Test("a delivered message is stored with every field and served back as the contract's Record")
    func storesEveryField() async throws {
        let app = try await ReferenceApp()
        var pushed = message(
            "m-1",
            data: "{\"temperature\":21.5}",
            attributes: ["site": "lab", "kind": "reading"],
            orderingKey: "sensor-7"
        )
        pushed.deliveryAttempt = 3
        pushed.topic = "projects/p/topics/readings"
        #expect(await app.ingest(pushed).status == .noContent)

        let (status, record) = try await app.get("/records/m-1")
        #expect(status == 200)
        #expect(record["messageId"] as? String == "m-1")
        #expect(record["subscription"] as? String == "projects/p/subscriptions/ingest")
        #expect(record["publishTime"] as? String == "2026-09-21T14:13:20Z")
        #expect((record["receivedAt"] as? String)?.hasSuffix("Z") == true)
        #expect(record["attributes"] as? [String: String] == ["site": "lab", "kind": "reading"])
        #expect(record["orderingKey"] as? String == "sensor-7")
        #expect(record["deliveryAttempt"] as? Int == 3)
        #expect((record["data"] as? [String: Any])?["temperature"] as? Double == 21.5)
        #expect(record["dataBase64"] as? String == Data("{\"temperature\":21.5}".utf8).base64EncodedString())
    }

    @Test("a payload that is not JSON keeps its exact bytes and has no data field")
    func binaryPayload() async throws {
        let app = try await ReferenceApp()
        let bytes = Data([0x00, 0xFF, 0x7B, 0x01])
        #expect(await app.ingest(PubSubMessage(id: "bin", data: bytes, publishTime: Timestamp(Date()))).isAcknowledged)
        let (_, record) = try await app.get("/records/bin")
        #expect(record["data"] == nil)
        #expect(record["dataBase64"] as? String == bytes.base64EncodedString())
        #expect(record["orderingKey"] == nil)
        #expect(record["deliveryAttempt"] == nil)
    }

    @Test(
        "a payload is served as JSON exactly when it is a JSON document",
        arguments: [
            (#"{"a":[1,{"b":null}],"c":"d"}"#, true), (#"[1,"two",false]"#, true), (#""text""#, true),
            ("-1.5e3", true), ("true", true), ("null", true), (" {\"padded\":1} ", true),
            (#"{"a":1"#, false), ("[1,,2]", false), (#"{"a":"raw\#u{1}control"}"#, false),
            (#"{"a":1} trailing"#, false), (#"["\q"]"#, false), ("tru", false),
        ]
    )
    func jsonPayloadsAreRecognised(payload: String, isJSON: Bool) async throws {
        let app = try await ReferenceApp()
        #expect(await app.ingest(message("p", data: payload)).isAcknowledged)
        let (_, record) = try await app.get("/records/p")
        #expect((record["data"] != nil) == isJSON, "\(payload)")
        #expect(record["dataBase64"] as? String == Data(payload.utf8).base64EncodedString())
    }

    @Test("a redelivery answers 204 and stores nothing new")
    func redeliveryIsIdempotent() async throws {
        let app = try await ReferenceApp()
        #expect(await app.ingest(message("dup", data: "first")).status == .noContent)
        #expect(await app.ingest(message("dup", data: "second")).status == .noContent)
        let (_, page) = try await app.get("/records")
        let records = try #require(page["records"] as? [[String: Any]])
        #expect(records.count == 1)
        #expect(records.first?["dataBase64"] as? String == Data("first".utf8).base64EncodedString())
    }

    @Test("the same message id from another subscription is another record")
    func identityIncludesSubscription() async throws {
        let app = try await ReferenceApp()
        #expect(await app.ingest(message("same"), subscription: "projects/p/subscriptions/a").isAcknowledged)
        #expect(await app.ingest(message("same"), subscription: "projects/p/subscriptions/b").isAcknowledged)
        let (_, page) = try await app.get("/records")
        #expect((page["records"] as? [Any])?.count == 2)
        let (_, onlyB) = try await app.get("/records/same?subscription=projects%2Fp%2Fsubscriptions%2Fb")
        #expect(onlyB["subscription"] as? String == "projects/p/subscriptions/b")
    }

    @Test("many concurrent deliveries are all stored")
    func concurrentDeliveries() async throws {
        let app = try await ReferenceApp()
        let acknowledged = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<300 {
                group.addTask { await app.ingest(message("c-\(index)")).isAcknowledged }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(acknowledged == 300)
        let (_, stats) = try await app.get("/stats")
        #expect(stats["total"] as? Int == 300)
    }
}
