import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// The topic and push subscription `contrail dev` wires to the ingest function.
struct DevPipeline: Sendable {
    let project: String
    let topic: String
    let subscription: String
    let pubsubPort: Int
    let hostPort: Int

    var pubsubBase: String { "http://127.0.0.1:\(self.pubsubPort)/v1/projects/\(self.project)" }
    /// The path ends in the topic, so the ingest function learns it, as Google's frameworks read it off push URLs.
    var ingestURL: String {
        "http://127.0.0.1:\(self.hostPort)/ingest/projects/\(self.project)/topics/\(self.topic)"
    }

    /// Creates the topic and subscription through the service's own REST API; both already existing is fine.
    func create(using client: HTTPClient) async throws {
        try await self.put("\(self.pubsubBase)/topics/\(self.topic)", body: "{}", using: client)
        let subscription = """
            {"topic":"projects/\(self.project)/topics/\(self.topic)","ackDeadlineSeconds":60,\
            "pushConfig":{"pushEndpoint":"\(self.ingestURL)"},\
            "retryPolicy":{"minimumBackoff":"1s","maximumBackoff":"60s"}}
            """
        try await self.put("\(self.pubsubBase)/subscriptions/\(self.subscription)", body: subscription, using: client)
    }

    private func put(_ url: String, body: String, using client: HTTPClient) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        guard response.status.code == 200 || response.status.code == 409 else {
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            throw StartupError("creating \(url) failed with \(response.status.code): \(text)")
        }
    }

    var banner: String {
        """
        Contrail dev is running.
          functions   http://127.0.0.1:\(self.hostPort)/ingest (push target), http://127.0.0.1:\(self.hostPort)/query
          Pub/Sub     http://127.0.0.1:\(self.pubsubPort) (PUBSUB_EMULATOR_HOST=127.0.0.1:\(self.pubsubPort))
          topic       projects/\(self.project)/topics/\(self.topic) → push subscription \(self.subscription)
        Publish:  PUBSUB_EMULATOR_HOST=127.0.0.1:\(self.pubsubPort) swift run contrail publish --project \(self.project) --topic \(self.topic) --data '{"hello":"world"}' --attribute source=cli
        Query:    curl -s 'http://127.0.0.1:\(self.hostPort)/query/records?limit=10'
        """
    }
}

/// Once both servers answer, creates the topic and subscription and prints how to use them.
struct DevSetupService: Service {
    let pipeline: DevPipeline
    let logger: Logger

    func run() async throws {
        let client = HTTPClient.shared
        var lastError: (any Error)?
        for _ in 0..<100 {
            do {
                try await self.pipeline.create(using: client)
                lastError = nil
                break
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        if let lastError { throw lastError }
        print(self.pipeline.banner)
        self.logger.info(
            "pipeline ready",
            metadata: ["topic": "\(self.pipeline.topic)", "pubsub_port": .stringConvertible(self.pipeline.pubsubPort)]
        )
        try await gracefulShutdown()
    }
}
