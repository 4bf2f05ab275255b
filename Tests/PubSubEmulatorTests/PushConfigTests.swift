import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

@Suite("Push configuration is validated as Google validates it")
struct PushConfigTests {
    /// Creates a subscription with `push` as its pushConfig and hands the reply to `check`.
    static func create(_ push: String, _ check: @Sendable (Reply) throws -> Void) async throws {
        try await SubscriptionTests.withTopics { client in
            let reply = try await client.sendRaw(
                .put,
                "/v1/projects/p/subscriptions/sub1",
                #"{"topic":"projects/p/topics/orders","pushConfig":\#(push)}"#
            )
            try check(reply)
        }
    }

    @Test(
        "Bad push configurations are 400s naming what is wrong",
        arguments: [
            (#"{"pushEndpoint":"ftp://example.com/push"}"#, "push endpoint"),
            (#"{"pushEndpoint":"not a url"}"#, "push endpoint"),
            (#"{"pushEndpoint":"http://localhost/push","oidcToken":{"audience":"a"}}"#, "serviceAccountEmail"),
            (
                #"{"pushEndpoint":"http://localhost/push","oidcToken":{"serviceAccountEmail":"a@b","scope":"x"}}"#,
                "scope"
            ),
            (#"{"pushEndpoint":"http://localhost/push","pushEndpiont":"typo"}"#, "pushEndpiont"),
            (#"{"pushEndpoint":"http://localhost/push","noWrapper":{"writeMetadata":"yes"}}"#, "writeMetadata"),
            (#"{"pushEndpoint":"http://localhost/push","noWrapper":{},"pubsubWrapper":{}}"#, "only one"),
        ]
    )
    func rejected(push: String, named: String) async throws {
        try await Self.create(push) { reply in
            #expect(reply.status == 400)
            #expect(reply.errorStatus == "INVALID_ARGUMENT")
            #expect(reply.errorMessage.contains(named), "\(reply.errorMessage)")
        }
    }

    @Test("An OIDC token setting is kept and echoed")
    func oidcKept() async throws {
        let push =
            #"{"pushEndpoint":"http://localhost:8080/push","oidcToken":{"serviceAccountEmail":"push@p.iam.gserviceaccount.com","audience":"https://aud"}}"#
        try await Self.create(push) { reply in
            #expect(reply.status == 200)
            let token = (reply.json["pushConfig"] as? [String: Any])?["oidcToken"] as? [String: String]
            #expect(token == ["serviceAccountEmail": "push@p.iam.gserviceaccount.com", "audience": "https://aud"])
        }
    }
}
