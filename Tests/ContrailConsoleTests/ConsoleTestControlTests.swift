import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("The console's test controls, peek and dead letters")
struct ConsoleTestControlTests {
    /// Pushes every due message of `push` until `count` are dead-lettered, skipping each wait as the console's
    /// button does; returns the rounds it took.
    static func pushUntilDeadLettered(_ harness: ConsoleHarness, count: Int = 1) async throws -> Int {
        for round in 1...20 {
            await harness.deliverer.deliverDue()
            if try await harness.deadLetters().count >= count { return round }
            let skipped = try await harness.api(.post, "/subscriptions/push:skipWaits")
            #expect(skipped.status == 200)
        }
        return Int.max
    }

    @Test("Peek lists held messages oldest first, in pages, and leases none of them")
    func peekLeasesNothing() async throws {
        try await ConsoleHarness.run { harness in
            let ids = [
                try await harness.publish("one"), try await harness.publish("two"), try await harness.publish("three"),
            ]
            let first = try await harness.api(.get, "/subscriptions/held/messages?limit=2")
            let page = first.json["messages"] as? [[String: Any]] ?? []
            #expect(page.map { $0["messageId"] as? String } == [ids[0], ids[1]])
            #expect(page.first?["data"] as? String == Data("one".utf8).base64EncodedString())
            #expect(page.first?["deliveryAttempt"] as? Int == 0)
            let after = try #require(first.json["nextAfter"] as? Int)
            let rest = try await harness.api(.get, "/subscriptions/held/messages?limit=2&after=\(after)")
            #expect((rest.json["messages"] as? [[String: Any]])?.map { $0["messageId"] as? String } == [ids[2]])
            #expect(rest.json["nextAfter"] == nil)
            #expect(try await harness.backlog("held") == 3)
            // A puller still receives all three: looking leased nothing.
            let pulled = try await harness.send(
                harness.pubsub,
                .post,
                "/v1/projects/p/subscriptions/held:pull",
                json: #"{"maxMessages": 10}"#
            )
            #expect((pulled.json["receivedMessages"] as? [Any])?.count == 3)
        }
    }

    @Test(
        "Failing every push dead-letters a message in seconds with skipWaits; a redrive brings it back once, without the dead-letter attributes"
    )
    func deadLetterAndRedrive() async throws {
        try await ConsoleHarness.run { harness in
            let faults = try await harness.api(.put, "/subscriptions/push/faults", json: #"{"failurePercent": 100}"#)
            #expect(faults.status == 200)
            let id = try await harness.publish("poison", attributes: ["kind": "test"])
            #expect(try await Self.pushUntilDeadLettered(harness) == 5)
            let outcomes = try await harness.subscription("push")["outcomes"] as? [String: Int]
            #expect(outcomes?["nack"] == 5)
            let letter = try #require(try await harness.deadLetters().first)
            #expect(letter["sourceSubscription"] as? String == "push")
            #expect(letter["sourceTopic"] as? String == "orders")
            #expect(letter["deliveryCount"] as? Int == 5)
            #expect(try await harness.backlog("push") == 0)

            let deadID = try #require(letter["messageId"] as? String)
            let redriven = try await harness.api(.post, "/dead-letters/orders-dead-letter-pull/\(deadID):redrive")
            #expect(redriven.status == 200)
            let newID = try #require((redriven.json["messageIds"] as? [String])?.first)
            #expect(newID != id)
            #expect(try await harness.deadLetters().isEmpty)
            let back = try await harness.api(.get, "/subscriptions/push/messages")
            let message = try #require((back.json["messages"] as? [[String: Any]])?.first)
            #expect(message["messageId"] as? String == newID)
            #expect(message["attributes"] as? [String: String] == ["kind": "test"])

            let again = try await harness.api(.post, "/dead-letters/orders-dead-letter-pull/\(deadID):redrive")
            #expect(again.status == 400)
            #expect(again.errorStatus == "FAILED_PRECONDITION")
            let purge = try await harness.api(.post, "/dead-letters/orders-dead-letter-pull/\(deadID):purge")
            #expect(purge.errorStatus == "FAILED_PRECONDITION")
            let notKept = try await harness.api(.post, "/dead-letters/held/\(newID):redrive")
            #expect(notKept.errorStatus == "FAILED_PRECONDITION")
        }
    }

    @Test("Purge all and redrive all empty the dead letters and say how many")
    func purgeAndRedriveAll() async throws {
        try await ConsoleHarness.run { harness in
            _ = try await harness.api(.put, "/subscriptions/push/faults", json: #"{"failurePercent": 100}"#)
            try await harness.publish("a")
            try await harness.publish("b")
            _ = try await Self.pushUntilDeadLettered(harness, count: 2)
            #expect(try await harness.deadLetters().count == 2)
            let redriven = try await harness.api(.post, "/dead-letters:redriveAll")
            #expect(redriven.json["redriven"] as? Int == 2)
            #expect(try await harness.backlog("push") == 2)
            _ = try await Self.pushUntilDeadLettered(harness, count: 2)
            let purged = try await harness.api(.post, "/dead-letters:purgeAll")
            #expect(purged.json["purged"] as? Int == 2)
            #expect(try await harness.deadLetters().isEmpty)
        }
    }

    @Test("A paused subscription is not pushed, its backlog grows, and resuming delivers it")
    func pauseAndResume() async throws {
        try await ConsoleHarness.run { harness in
            _ = try await harness.api(.put, "/subscriptions/push/faults", json: #"{"failurePercent": 100}"#)
            let paused = try await harness.api(.post, "/subscriptions/push:pause")
            #expect(paused.json["paused"] as? Bool == true)
            try await harness.publish("waiting")
            await harness.deliverer.deliverDue()
            #expect(try await harness.subscription("push")["paused"] as? Bool == true)
            #expect((try await harness.subscription("push")["outcomes"] as? [String: Int])?["nack"] == 0)
            #expect(try await harness.backlog("push") == 1)
            _ = try await harness.api(.post, "/subscriptions/push:resume")
            await harness.deliverer.deliverDue()
            #expect((try await harness.subscription("push")["outcomes"] as? [String: Int])?["nack"] == 1)
        }
    }

    @Test("Faults out of range, unknown subscriptions and unknown verbs are refused in Google's shape")
    func badInput() async throws {
        try await ConsoleHarness.run { harness in
            let tooMany = try await harness.api(.put, "/subscriptions/push/faults", json: #"{"failurePercent": 150}"#)
            #expect(tooMany.status == 400)
            #expect(tooMany.errorStatus == "INVALID_ARGUMENT")
            let notJSON = try await harness.api(.put, "/subscriptions/push/faults", json: "fail")
            #expect(notJSON.errorStatus == "INVALID_ARGUMENT")
            #expect((try await harness.subscription("push")["faults"] as? [String: Int])?["failurePercent"] == 0)
            let unknown = try await harness.api(.get, "/subscriptions/nope/messages")
            #expect(unknown.status == 404)
            #expect(unknown.errorStatus == "NOT_FOUND")
            #expect(try await harness.api(.post, "/subscriptions/push:frobnicate").status == 404)
            #expect(try await harness.api(.get, "/invocations?limit=0").errorStatus == "INVALID_ARGUMENT")
            #expect(try await harness.api(.get, "/invocations/7").status == 404)
        }
    }

    @Test("Changes from pages of other origins, and requests naming another host, are refused and change nothing")
    func otherOriginsRefused() async throws {
        try await ConsoleHarness.run { harness in
            let foreign = try await harness.api(
                .put,
                "/subscriptions/push/faults",
                json: #"{"failurePercent": 100}"#,
                headers: [.origin: "http://evil.example"]
            )
            #expect(foreign.status == 403)
            #expect(foreign.errorStatus == "PERMISSION_DENIED")
            let otherPort = try await harness.send(
                harness.console,
                .post,
                "/pubsub/subscriptions/push/pause",
                form: "",
                headers: [.origin: "http://localhost:1234"]
            )
            #expect(otherPort.status == 403)
            #expect(try await harness.subscription("push")["paused"] as? Bool == false)
            #expect((try await harness.subscription("push")["faults"] as? [String: Int])?["failurePercent"] == 0)
            let own = try await harness.api(
                .put,
                "/subscriptions/push/faults",
                json: #"{"failurePercent": 20}"#,
                headers: [.origin: "http://localhost"]
            )
            #expect(own.status == 200)
            let rebound = try await harness.api(
                .get,
                "/subscriptions",
                headers: [HTTPField.Name("Host")!: "evil.example"]
            )
            #expect(rebound.status == 403)
        }
    }

    @Test("The publish form refuses a malformed attribute line on the page and publishes nothing; a good one publishes")
    func publishForm() async throws {
        try await ConsoleHarness.run { harness in
            let bad = try await harness.send(
                harness.console,
                .post,
                "/pubsub/publish",
                form: "topic=orders&data=hello&attributes=novalue"
            )
            #expect(bad.status == 400)
            #expect(bad.text.contains(#"id="error""#))
            #expect(bad.text.contains("is not key=value"))
            #expect(try await harness.backlog("held") == 0)
            let good = try await harness.send(
                harness.console,
                .post,
                "/pubsub/publish",
                form: "topic=orders&data=hello&attributes=kind%3Dform%0Asource%3Dconsole&orderingKey="
            )
            #expect(good.status == 303)
            #expect(good.location?.hasPrefix("/pubsub?notice=Published") == true)
            let held = try await harness.api(.get, "/subscriptions/held/messages")
            let message = try #require((held.json["messages"] as? [[String: Any]])?.first)
            #expect(message["attributes"] as? [String: String] == ["kind": "form", "source": "console"])
            let page = try await harness.send(harness.console, .get, "/pubsub")
            #expect(page.status == 200)
            #expect(page.text.contains(#"<tr data-subscription="held">"#))
            #expect(page.text.contains(#"<td class="subscriptions">held, push</td>"#))
        }
    }
}
