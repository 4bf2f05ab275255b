import AsyncHTTPClient
import ContrailHost
import ContrailKit
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PubSubEmulator
import PubSubProtocol
import ServiceLifecycle
import SwiftProtobuf

/// The topics and push subscriptions `contrail dev` creates, one per message function that declares a trigger.
struct DevPipeline: Sendable {
    /// A message function and what feeds it.
    struct Wiring: Sendable {
        let function: String
        let trigger: MessageTrigger
    }

    let project: String
    let wirings: [Wiring]
    let httpFunctions: [String]
    let pubsubPort: Int
    let hostPort: Int
    let consolePort: Int

    init(registry: FunctionRegistry, project: String, pubsubPort: Int, hostPort: Int, consolePort: Int = 8086) {
        self.project = project
        self.wirings = registry.entries.compactMap { entry in
            entry.trigger.map { Wiring(function: entry.name, trigger: $0) }
        }
        self.httpFunctions = registry.entries.compactMap { entry in
            if case .http = entry.kind { return entry.name }
            return nil
        }
        self.pubsubPort = pubsubPort
        self.hostPort = hostPort
        self.consolePort = consolePort
    }

    var pubsubBase: String { "http://127.0.0.1:\(self.pubsubPort)/v1/projects/\(self.project)" }

    func functionURL(_ name: String) -> String { "http://127.0.0.1:\(self.hostPort)/\(name)" }

    /// The path ends in the topic, so the function learns it, as Google's frameworks read it off push URLs.
    func pushEndpoint(_ wiring: Wiring) -> String {
        self.functionURL(wiring.function) + "/projects/\(self.project)/topics/\(wiring.trigger.topic)"
    }

    /// The service account named in the push tokens, as a Cloud deployment has a dedicated one.
    var pushServiceAccount: String { "contrail-push@\(self.project).iam.gserviceaccount.com" }
    /// Where the local Pub/Sub service publishes the key that signs its push tokens.
    var jwksURL: URL { URL(string: "http://127.0.0.1:\(self.pubsubPort)/oauth2/v3/certs")! }

    /// How the host checks the pushes: the tokens the local service signs, each for one of these subscriptions'
    /// push endpoints (a token's audience is its push endpoint, as Pub/Sub's is by default).
    var pushAuthentication: PushAuthentication {
        PushAuthentication(
            mode: .oidc,
            audiences: Set(self.wirings.map(self.pushEndpoint)),
            serviceAccounts: [self.pushServiceAccount],
            jwksURL: self.jwksURL
        )
    }

    /// Creates every declared topic, dead-letter topic (kept by a pull subscription) and push subscription through
    /// the service's own REST API. Existing subscriptions are brought to the declared settings, and replaced when
    /// a setting Pub/Sub fixes at creation changed (`emulator` counts the messages that drops).
    func create(using client: HTTPClient, emulator: LocalPubSub, logger: Logger) async throws {
        for wiring in self.wirings {
            try await self.create(wiring, using: client, emulator: emulator, logger: logger)
        }
    }

    private func create(
        _ wiring: Wiring,
        using client: HTTPClient,
        emulator: LocalPubSub,
        logger: Logger
    ) async throws {
        let trigger = wiring.trigger
        try await self.send(
            .PUT,
            "\(self.pubsubBase)/topics/\(trigger.topic)",
            body: Google_Pubsub_V1_Topic(),
            using: client
        )
        var settings = Google_Pubsub_V1_Subscription()
        settings.ackDeadlineSeconds = Int32(trigger.ackDeadline.components.seconds)
        settings.pushConfig = self.pushConfig(wiring)
        var mask = ["ack_deadline_seconds", "push_config"]
        if let retry = trigger.retryPolicy {
            settings.retryPolicy.minimumBackoff = .init(seconds: retry.minimumBackoff.components.seconds)
            settings.retryPolicy.maximumBackoff = .init(seconds: retry.maximumBackoff.components.seconds)
            mask.append("retry_policy")
        }
        if let deadLetter = trigger.deadLetterTopic, let keeper = trigger.deadLetterSubscription,
            let attempts = trigger.maxDeliveryAttempts
        {
            let deadLetterName = "projects/\(self.project)/topics/\(deadLetter)"
            try await self.send(
                .PUT,
                "\(self.pubsubBase)/topics/\(deadLetter)",
                body: Google_Pubsub_V1_Topic(),
                using: client
            )
            // A topic keeps only what a subscription holds: this one retains the dead letters for inspection.
            var keeping = Google_Pubsub_V1_Subscription()
            keeping.topic = deadLetterName
            try await self.send(.PUT, "\(self.pubsubBase)/subscriptions/\(keeper)", body: keeping, using: client)
            settings.deadLetterPolicy.deadLetterTopic = deadLetterName
            settings.deadLetterPolicy.maxDeliveryAttempts = Int32(attempts)
            mask.append("dead_letter_policy")
        }
        // Fixed when a subscription is created, as in Pub/Sub: changing them means a new subscription.
        var created = settings
        created.topic = "projects/\(self.project)/topics/\(trigger.topic)"
        created.enableMessageOrdering = trigger.messageOrdering
        created.filter = trigger.filter ?? ""

        let url = "\(self.pubsubBase)/subscriptions/\(trigger.subscriptionID(function: wiring.function))"
        try await self.replaceIfFixedSettingsChanged(
            wiring,
            url: url,
            using: client,
            emulator: emulator,
            logger: logger
        )
        try await self.send(.PUT, url, body: created, using: client)
        var update = Google_Pubsub_V1_UpdateSubscriptionRequest()
        update.subscription = settings
        update.updateMask = Google_Protobuf_FieldMask(protoPaths: mask)
        try await self.send(.PATCH, url, body: update, using: client)
    }

    private func pushConfig(_ wiring: Wiring) -> Google_Pubsub_V1_PushConfig {
        let endpoint = self.pushEndpoint(wiring)
        var config = Google_Pubsub_V1_PushConfig()
        config.pushEndpoint = endpoint
        config.oidcToken.serviceAccountEmail = self.pushServiceAccount
        config.oidcToken.audience = endpoint
        if case .unwrapped(let writeMetadata) = wiring.trigger.payloadFormat {
            config.noWrapper.writeMetadata = writeMetadata
        }
        return config
    }

    /// Sends `body` in the API's JSON mapping; an existing resource (409) counts as done.
    func send(
        _ method: HTTPMethod,
        _ url: String,
        body: some SwiftProtobuf.Message,
        using client: HTTPClient
    ) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try body.jsonUTF8Bytes() as [UInt8]))
        let response = try await client.execute(request, timeout: .seconds(10))
        guard response.status.code == 200 || response.status.code == 409 else {
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            throw StartupError("\(method) \(url) failed with \(response.status.code): \(text)")
        }
    }

    /// The subscription at `url` as the API answers it, or `nil` when it does not exist.
    func fetchSubscription(_ url: String, using client: HTTPClient) async throws -> Google_Pubsub_V1_Subscription? {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        if response.status.code == 404 { return nil }
        guard response.status.code == 200,
            let subscription = try? Google_Pubsub_V1_Subscription(
                jsonUTF8Data: Data(body.readableBytesView),
                options: ResourceJSON.decodingOptions
            )
        else {
            throw StartupError("GET \(url) failed with \(response.status.code): \(String(buffer: body))")
        }
        return subscription
    }

    var banner: String {
        var lines = ["Contrail dev is running."]
        for wiring in self.wirings {
            let trigger = wiring.trigger
            lines.append(
                "  \(wiring.function)  \(self.functionURL(wiring.function)) ← push subscription "
                    + "\(trigger.subscriptionID(function: wiring.function)) ← topic "
                    + "projects/\(self.project)/topics/\(trigger.topic)"
            )
            if let deadLetter = trigger.deadLetterTopic, let keeper = trigger.deadLetterSubscription,
                let attempts = trigger.maxDeliveryAttempts
            {
                lines.append(
                    "      dead letters after \(attempts) attempts: projects/\(self.project)/topics/\(deadLetter), "
                        + "kept by subscription \(keeper)"
                )
            }
        }
        for name in self.httpFunctions {
            lines.append("  \(name)  \(self.functionURL(name))")
        }
        lines.append(
            "  Console     http://127.0.0.1:\(self.consolePort)/ (functions, invocations, subscriptions, dead letters)"
        )
        lines.append(
            "  Pub/Sub     http://127.0.0.1:\(self.pubsubPort) (PUBSUB_EMULATOR_HOST=127.0.0.1:\(self.pubsubPort)); "
                + "pushes carry OIDC tokens for \(self.pushServiceAccount), verified by the host"
        )
        let program = RootCommand.programName
        for topic in Set(self.wirings.map(\.trigger.topic)).sorted() {
            lines.append(
                "Publish to \(topic):  PUBSUB_EMULATOR_HOST=127.0.0.1:\(self.pubsubPort) swift run \(program) publish "
                    + "--project \(self.project) --topic \(topic) --data '{\"hello\":\"world\"}' --attribute source=cli"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// Once both servers answer, creates the topic and subscription and prints how to use them.
struct DevSetupService: Service {
    let pipeline: DevPipeline
    let emulator: LocalPubSub
    let logger: Logger

    func run() async throws {
        let client = HTTPClient.shared
        var lastError: (any Error)?
        for _ in 0..<100 {
            do {
                try await self.pipeline.create(using: client, emulator: self.emulator, logger: self.logger)
                lastError = nil
                break
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        if let lastError { throw lastError }
        // Written at once, not through stdout's buffer: when stdout is a file or a pipe, the buffer would hold the
        // URLs until the process exits.
        FileHandle.standardOutput.write(Data((self.pipeline.banner + "\n").utf8))
        self.logger.info(
            "pipeline ready",
            metadata: [
                "topics": "\(Set(self.pipeline.wirings.map(\.trigger.topic)).sorted().joined(separator: ","))",
                "pubsub_port": .stringConvertible(self.pipeline.pubsubPort),
            ]
        )
        try await gracefulShutdown()
    }
}
