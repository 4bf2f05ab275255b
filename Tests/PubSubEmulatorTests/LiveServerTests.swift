import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PubSubEmulator
import Testing

@Suite("Live server")
struct LiveServerTests {
    @Test("The application serves the REST API over a real socket with JSON content type")
    func live() async throws {
        let emulator = try LocalPubSub(path: ":memory:")
        let application = emulator.application(host: "127.0.0.1", port: 0, logger: Logger(label: "pubsub-test"))
        try await application.test(.live) { client in
            try await client.execute(
                uri: "/v1/projects/p/topics/orders",
                method: .put,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}")
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            try await client.execute(uri: "/v1/projects/p/nothing", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
