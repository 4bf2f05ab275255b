import ContrailKit
import Foundation
import Testing

@testable import Contrail

@Suite("describe prints the registry's declaration")
struct RegistryDescriptionTests {
    @Test("every function with its kind, and each declared trigger with every setting, named as dev names them")
    func describesEveryFunction() throws {
        let text = try RegistryDescription(try DevPipelineTests.registry()).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let functions = try #require(object["functions"] as? [[String: Any]])
        #expect(functions.map { $0["name"] as? String } == ["orders", "audit", "undeclared", "hello"])
        #expect(functions.map { $0["kind"] as? String } == ["message", "message", "message", "http"])

        let orders = try #require(functions[0]["trigger"] as? [String: Any])
        #expect(orders["topic"] as? String == "orders")
        #expect(orders["subscription"] as? String == "orders-push")
        #expect(orders["ackDeadlineSeconds"] as? Double == 30)
        let retry = orders["retryPolicy"] as? [String: Double]
        #expect(retry == ["minimumBackoffSeconds": 2, "maximumBackoffSeconds": 20])
        let deadLetter = try #require(orders["deadLetterPolicy"] as? [String: Any])
        #expect(deadLetter["topic"] as? String == "orders-dead-letter")
        #expect(deadLetter["subscription"] as? String == "orders-dead-letter-pull")
        #expect(deadLetter["maxDeliveryAttempts"] as? Int == 7)
        #expect(orders["noWrapper"] as? [String: Bool] == ["writeMetadata": true])
        #expect(orders["messageOrdering"] as? Bool == true)
        #expect(orders["filter"] as? String == #"attributes.kind = "order""#)

        // Pub/Sub's defaults are spelled out; what the trigger does not have is left out.
        let audit = try #require(functions[1]["trigger"] as? [String: Any])
        #expect(audit["subscription"] as? String == "audit-push")
        #expect(audit["ackDeadlineSeconds"] as? Double == 10)
        #expect(audit["messageOrdering"] as? Bool == false)
        for absent in ["retryPolicy", "deadLetterPolicy", "noWrapper", "filter"] {
            #expect(audit[absent] == nil, "\(absent)")
        }
        #expect(functions[2]["trigger"] == nil)
        #expect(functions[3]["trigger"] == nil)
    }
}
