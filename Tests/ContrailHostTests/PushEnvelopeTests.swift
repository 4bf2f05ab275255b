import ContrailHost
import ContrailKit
import Foundation
import Testing

@Suite("Wrapped push bodies")
struct PushEnvelopeTests {
    /// Pub/Sub's "maximum values" example from cloud.google.com/pubsub/docs/push.
    static let documentedExample = """
        {
          "deliveryAttempt": 5,
          "message": {
            "attributes": {"key": "value"},
            "data": "SGVsbG8gQ2xvdWQgUHViL1N1YiEgSGVyZSBpcyBteSBtZXNzYWdlIQ==",
            "messageId": "2070443601311540",
            "message_id": "2070443601311540",
            "orderingKey": "key",
            "publishTime": "2021-02-26T19:13:55.749Z",
            "publish_time": "2021-02-26T19:13:55.749Z"
          },
          "subscription": "projects/myproject/subscriptions/mysubscription"
        }
        """

    @Test("Pub/Sub's documented example, with ids in both spellings, yields every field")
    func documentedExampleYieldsEveryField() throws {
        let message = try DeliveryRequest.decode(Self.documentedExample)
        #expect(message.id == "2070443601311540")
        #expect(message.text == "Hello Cloud Pub/Sub! Here is my message!")
        #expect(message.attributes == ["key": "value"])
        #expect(message.orderingKey == "key")
        #expect(message.publishTime == utc(1_614_366_835.749))
        #expect(message.deliveryAttempt == 5)
        #expect(message.subscription == "projects/myproject/subscriptions/mysubscription")
    }

    @Test("camelCase messageId and publishTime alone are read")
    func camelCaseIdsAreRead() throws {
        let message = try DeliveryRequest.decode(
            #"{"message":{"messageId":"m-1","publishTime":"2021-02-26T19:13:55Z","data":"aGk="}}"#
        )
        #expect(message.id == "m-1")
        #expect(message.publishTime == utc(1_614_366_835))
    }

    @Test("snake_case message_id and publish_time alone are read")
    func snakeCaseIdsAreRead() throws {
        let message = try DeliveryRequest.decode(
            #"{"message":{"message_id":"m-2","publish_time":"2021-02-26T19:13:55Z","data":"aGk="}}"#
        )
        #expect(message.id == "m-2")
        #expect(message.publishTime == utc(1_614_366_835))
    }

    @Test("A message published with attributes only has empty data")
    func absentDataIsEmpty() throws {
        let message = try DeliveryRequest.decode(#"{"message":{"messageId":"m-3","attributes":{"kind":"ping"}}}"#)
        #expect(message.data == Data())
        #expect(message.text == "")
        #expect(message.attributes == ["kind": "ping"])
    }

    @Test("A message published without attributes has an empty attribute map")
    func absentAttributesAreEmpty() throws {
        let message = try DeliveryRequest.decode(#"{"message":{"messageId":"m-4","data":"AAEC/w=="}}"#)
        #expect(message.attributes.isEmpty)
        #expect(message.data == Data([0x00, 0x01, 0x02, 0xFF]))
    }

    @Test("The ordering key is read, and an empty one means none")
    func orderingKey() throws {
        let keyed = try DeliveryRequest.decode(
            #"{"message":{"messageId":"m-5","data":"aGk=","orderingKey":"device-7"}}"#
        )
        #expect(keyed.orderingKey == "device-7")
        let unkeyed = try DeliveryRequest.decode(#"{"message":{"messageId":"m-6","data":"aGk=","orderingKey":""}}"#)
        #expect(unkeyed.orderingKey == nil)
    }

    @Test("deliveryAttempt is read as a number or a string, and is nil when absent")
    func deliveryAttempt() throws {
        let first = try DeliveryRequest.decode(#"{"message":{"messageId":"m-7","data":"aGk="},"deliveryAttempt":1}"#)
        #expect(first.deliveryAttempt == 1)
        let quoted = try DeliveryRequest.decode(
            #"{"message":{"messageId":"m-8","data":"aGk="},"deliveryAttempt":"12"}"#
        )
        #expect(quoted.deliveryAttempt == 12)
        let absent = try DeliveryRequest.decode(#"{"message":{"messageId":"m-9","data":"aGk="}}"#)
        #expect(absent.deliveryAttempt == nil)
    }

    @Test("The subscription is read, and is nil when the body does not name it")
    func subscription() throws {
        let named = try DeliveryRequest.decode(
            #"{"message":{"messageId":"m-10","data":"aGk="},"subscription":"projects/p/subscriptions/s"}"#
        )
        #expect(named.subscription == "projects/p/subscriptions/s")
        let unnamed = try DeliveryRequest.decode(#"{"message":{"messageId":"m-11","data":"aGk="}}"#)
        #expect(unnamed.subscription == nil)
    }

    @Test(
        "The topic is read from a push URL path ending in projects/<p>/topics/<t>",
        arguments: [
            ("/ingest/projects/p1/topics/t1", "projects/p1/topics/t1"),
            ("/projects/p1/topics/t1", "projects/p1/topics/t1"),
            ("/ingest/projects/p1/topics/t1?token=abc", "projects/p1/topics/t1"),
            ("/a/projects/old/topics/x/projects/p2/topics/t2", "projects/p2/topics/t2"),
            ("/ingest/projects/p1/topics/projects", "projects/p1/topics/projects"),
            ("/ingest/projects/projects/topics/t1", "projects/projects/topics/t1"),
            ("/ingest/projects/topics/topics/topics", "projects/topics/topics/topics"),
        ]
    )
    func topicFromPath(path: String, topic: String) throws {
        let message = try DeliveryRequest.decode(#"{"message":{"messageId":"m-12","data":"aGk="}}"#, path: path)
        #expect(message.topic == topic)
    }

    @Test(
        "No topic is read from a path that does not end in projects/<p>/topics/<t>",
        arguments: [
            "/ingest", "/", "/ingest/projects/p1/topics", "/ingest/projects/p1/topics/t1/extra",
            "/ingest/projects/p1/subscriptions/s1",
        ]
    )
    func noTopicFromOtherPaths(path: String) throws {
        let message = try DeliveryRequest.decode(#"{"message":{"messageId":"m-13","data":"aGk="}}"#, path: path)
        #expect(message.topic == nil)
    }

    @Test(
        "Publish times with 0, 3, 6 or 9 fractional digits, in UTC or with an offset, are read to the microsecond",
        arguments: [
            ("2021-02-26T19:13:55Z", 1_614_366_835_000_000),
            ("2021-02-26T19:13:55.749Z", 1_614_366_835_749_000),
            ("2021-02-26T19:13:55.749123Z", 1_614_366_835_749_123),
            ("2021-02-26T19:13:55.749123456Z", 1_614_366_835_749_123),
            ("2021-02-26T19:13:55.000001Z", 1_614_366_835_000_001),
            ("2021-02-26T21:13:55.5+02:00", 1_614_366_835_500_000),
            ("2021-02-26T13:43:55-05:30", 1_614_366_835_000_000),
            ("2024-02-29T00:00:00Z", 1_709_164_800_000_000),
        ] as [(String, Int64)]
    )
    func publishTimes(text: String, microsecondsSinceEpoch: Int64) throws {
        let message = try DeliveryRequest.decode(
            #"{"message":{"messageId":"m-14","data":"aGk=","publishTime":"\#(text)"}}"#
        )
        let publishTime = try #require(message.publishTime)
        #expect(publishTime.microsecondsSinceEpoch == microsecondsSinceEpoch, "\(publishTime)")
    }
}
