import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

/// A backoff that grows from its minimum to its maximum needs the first to be the lower.
@Suite("Retry policy")
struct RetryPolicyTests {
    @Test(
        "A retry policy whose minimum backoff is above its maximum is refused naming both fields",
        arguments: [
            #"{"minimumBackoff":"20s","maximumBackoff":"10s"}"#,
            #"{"minimumBackoff":"600s","maximumBackoff":"599.5s"}"#,
            #"{"maximumBackoff":"5s"}"#,
        ]
    )
    func inconsistentBackoff(policy: String) async throws {
        try await SubscriptionTests.withTopics { client in
            let path = "/v1/projects/p/subscriptions/sub1"
            let created = try await client.sendRaw(
                .put,
                path,
                #"{"topic":"projects/p/topics/orders","retryPolicy":\#(policy)}"#
            )
            #expect(created.status == 400)
            #expect(created.errorStatus == "INVALID_ARGUMENT")
            #expect(created.errorMessage.contains("retryPolicy.minimumBackoff"), "\(created.errorMessage)")
            #expect(created.errorMessage.contains("retryPolicy.maximumBackoff"))
            #expect(try await client.send(.put, path, ["topic": "projects/p/topics/orders"]).status == 200)
            let patched = try await client.sendRaw(
                .patch,
                path,
                #"{"subscription":{"retryPolicy":\#(policy)},"updateMask":"retryPolicy"}"#
            )
            #expect(patched.status == 400)
            #expect(patched.errorMessage.contains("retryPolicy.minimumBackoff"))
        }
    }

    @Test(
        "Equal backoffs and a minimum below the default maximum are accepted",
        arguments: [
            #"{"minimumBackoff":"10s","maximumBackoff":"10s"}"#, #"{"minimumBackoff":"300s"}"#,
            #"{"maximumBackoff":"10s"}"#,
        ]
    )
    func consistentBackoff(policy: String) async throws {
        try await SubscriptionTests.withTopics { client in
            let created = try await client.sendRaw(
                .put,
                "/v1/projects/p/subscriptions/sub1",
                #"{"topic":"projects/p/topics/orders","retryPolicy":\#(policy)}"#
            )
            #expect(created.status == 200, "\(created.errorMessage)")
        }
    }
}
