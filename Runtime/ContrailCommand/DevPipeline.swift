import AsyncHTTPClient
import ContrailHost
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

    /// The service account named in the push tokens, as a Cloud deployment has a dedicated one.
    var pushServiceAccount: String { "contrail-push@\(self.project).iam.gserviceaccount.com" }
    var deadLetterTopic: String { "\(self.topic)-dead-letter" }
    /// Where the local Pub/Sub service publishes the key that signs its push tokens.
    var jwksURL: URL { URL(string: "http://127.0.0.1:\(self.pubsubPort)/oauth2/v3/certs")! }

    /// How the host checks the pushes: the tokens the local service signs, for exactly this subscription.
    var pushAuthentication: PushAuthentication {
        PushAuthentication(
            mode: .oidc, audience: self.ingestURL, serviceAccounts: [self.pushServiceAccount], jwksURL: self.jwksURL
        )
    }

    /// Creates the topics and subscriptions through the service's own REST API. Existing ones are brought to this
    /// configuration, so a state file from an older version still gets OIDC tokens and dead-lettering.
    func create(using client: HTTPClient) async throws {
        let topicName = "projects/\(self.project)/topics/\(self.topic)"
        let deadLetterName = "projects/\(self.project)/topics/\(self.deadLetterTopic)"
        try await self.send(.PUT, "\(self.pubsubBase)/topics/\(self.topic)", body: "{}", using: client)
        try await self.send(.PUT, "\(self.pubsubBase)/topics/\(self.deadLetterTopic)", body: "{}", using: client)
        // A topic keeps only what a subscription holds: this one retains the dead letters for inspection.
        try await self.send(
            .PUT, "\(self.pubsubBase)/subscriptions/\(self.deadLetterTopic)-pull",
            body: #"{"topic":"\#(deadLetterName)"}"#, using: client
        )
        let settings = """
            "ackDeadlineSeconds":60,\
            "pushConfig":{"pushEndpoint":"\(self.ingestURL)",\
            "oidcToken":{"serviceAccountEmail":"\(self.pushServiceAccount)","audience":"\(self.ingestURL)"}},\
            "retryPolicy":{"minimumBackoff":"1s","maximumBackoff":"60s"},\
            "deadLetterPolicy":{"deadLetterTopic":"\(deadLetterName)","maxDeliveryAttempts":5}
            """
        let url = "\(self.pubsubBase)/subscriptions/\(self.subscription)"
        try await self.send(.PUT, url, body: #"{"topic":"\#(topicName)",\#(settings)}"#, using: client)
        try await self.send(
            .PATCH, url,
            body: #"{"subscription":{\#(settings)},"updateMask":"ackDeadlineSeconds,pushConfig,retryPolicy,deadLetterPolicy"}"#,
            using: client
        )
    }

    private func send(_ method: HTTPMethod, _ url: String, body: String, using client: HTTPClient) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = method
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
          pushes      carry OIDC tokens for \(self.pushServiceAccount), verified by the host (keys at \(self.jwksURL.absoluteString))
          dead letters projects/\(self.project)/topics/\(self.deadLetterTopic) after 5 attempts, kept by subscription \(self.deadLetterTopic)-pull
        Publish:  PUBSUB_EMULATOR_HOST=127.0.0.1:\(self.pubsubPort) swift run contrail publish --project \(self.project) --topic \(self.topic) --data '{"hello":"world"}' --attribute source=cli
        Or:       curl -s -X POST 'http://127.0.0.1:\(self.pubsubPort)/v1/projects/\(self.project)/topics/\(self.topic):publish' -H 'Content-Type: application/json' -d '{"messages":[{"data":"eyJoZWxsbyI6IndvcmxkIn0=","attributes":{"source":"curl"}}]}'
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
