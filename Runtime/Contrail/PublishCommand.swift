import ArgumentParser
import AsyncHTTPClient
import ContrailKit
import Foundation
import NIOCore
import NIOHTTP1
import PubSubEmulator
import PubSubProtocol
import SwiftProtobuf

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish messages to a topic of the local Pub/Sub service ($PUBSUB_EMULATOR_HOST).",
        discussion: "Without --data or --file, each line of standard input is one message. Prints the message ids."
    )

    @Option(help: "Topic id.") var topic: String
    @Option(help: "Project id.") var project = "local-project"
    @Option(help: "Payload of the message.") var data: String?
    @Option(help: "File whose whole content is the payload.") var file: String?
    @Option(name: .customLong("attribute"), help: "An attribute as key=value; repeatable.") var attributes: [String] =
        []
    @Option(help: "Ordering key.") var orderingKey: String?
    @Option(help: "Publish the message this many times.") var count = 1

    func validate() throws {
        guard self.count >= 1, self.count <= 1000 else { throw ValidationError("--count must be from 1 to 1000") }
        guard self.data == nil || self.file == nil else { throw ValidationError("give --data or --file, not both") }
        for attribute in self.attributes where !attribute.contains("=") {
            throw ValidationError("--attribute '\(attribute)' must be key=value")
        }
    }

    func run() async throws {
        let host =
            ProcessInfo.processInfo.environment["PUBSUB_EMULATOR_HOST"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "localhost:8085"
        guard !host.contains("://") else {
            throw StartupError("PUBSUB_EMULATOR_HOST='\(host)' is invalid: expected host:port without a scheme")
        }
        var payloads: [Data] = []
        if let data {
            payloads = Array(repeating: Data(data.utf8), count: self.count)
        } else if let file {
            payloads = Array(repeating: try Data(contentsOf: URL(fileURLWithPath: file)), count: self.count)
        } else {
            while let line = readLine() { payloads.append(Data(line.utf8)) }
        }
        guard !payloads.isEmpty else { throw StartupError("nothing to publish: give --data, --file or lines on stdin") }

        var attributes: [String: String] = [:]
        for attribute in self.attributes {
            let parts = attribute.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            attributes[String(parts[0])] = String(parts[1])
        }
        var publish = Google_Pubsub_V1_PublishRequest()
        publish.messages = payloads.map { payload in
            var message = Google_Pubsub_V1_PubsubMessage()
            message.data = payload
            message.attributes = attributes
            message.orderingKey = self.orderingKey ?? ""
            return message
        }
        var request = HTTPClientRequest(url: "http://\(host)/v1/projects/\(self.project)/topics/\(self.topic):publish")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try publish.jsonUTF8Bytes() as [UInt8]))
        // A client of its own: the shared one keeps retrying a refused connection until the request deadline.
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(3), read: .seconds(30)))
        )
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: .seconds(30))
            body = try await response.body.collect(upTo: 10 << 20)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw StartupError("cannot reach the Pub/Sub service at \(host): \(error)")
        }
        guard response.status.code == 200,
            let ids = try? Google_Pubsub_V1_PublishResponse(
                jsonUTF8Data: Data(body.readableBytesView),
                options: ResourceJSON.decodingOptions
            ).messageIds
        else {
            let message =
                (try? JSONDecoder().decode(GoogleErrorBody.self, from: Data(body.readableBytesView)))?.error.message
                ?? String(buffer: body)
            throw StartupError("publish failed with \(response.status.code): \(message)")
        }
        for id in ids { print(id) }
    }
}
