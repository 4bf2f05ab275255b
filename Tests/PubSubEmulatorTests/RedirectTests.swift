import Foundation
import HTTPTypes
import PubSubEmulator
import Testing

/// Pub/Sub does not follow redirects: a 3xx is a failed push, and the address it names is never contacted.
@Suite("Push redirects")
struct RedirectTests {
    @Test(
        "A redirect is a nack: the message is pushed again and the address redirected to sees nothing",
        arguments: [
            301, 302, 303, 307, 308,
        ]
    )
    func redirectIsNack(status: Int) async throws {
        try await withRedirectingEndpoint(status: status) { url, redirector, target in
            let clock = ManualClock()
            let emulator = try LocalPubSub(path: ":memory:", clock: clock.wallClock)
            let deliverer = PushDeliverer(emulator: emulator)
            try await EmulatorClient.run(emulator) { client in
                _ = try await client.send(.put, "/v1/projects/p/topics/orders")
                let created = try await client.send(
                    .put,
                    "/v1/projects/p/subscriptions/push",
                    ["topic": "projects/p/topics/orders", "pushConfig": ["pushEndpoint": url]]
                )
                #expect(created.status == 200)
                let published = try await client.send(
                    .post,
                    "/v1/projects/p/topics/orders:publish",
                    ["messages": [["data": base64("hello")]]]
                )
                #expect(published.status == 200)

                await deliverer.deliverDue()
                #expect(await redirector.requests.count == 1)
                #expect(await target.requests.isEmpty)
                // Past the push backoff of one failure: an acknowledged message would not come again.
                clock.advance(seconds: 60)
                await deliverer.deliverDue()
                #expect(await redirector.requests.count == 2)
                #expect(await target.requests.isEmpty)
            }
        }
    }
}
