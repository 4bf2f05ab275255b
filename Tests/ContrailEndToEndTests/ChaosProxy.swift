import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Stands between the Pub/Sub service and the host and breaks deliveries on purpose.
///
/// A message whose attributes hold `poison` always fails. Otherwise a fraction `failureRate` of deliveries
/// fails at random: half before reaching the host (the store never sees them), half after the host answered
/// (the row is stored but the acknowledgement is lost, so Pub/Sub delivers it again). With `holdFirstAttempt`,
/// the first answer for each message is held past the ack deadline, as a slow consumer's would be.
actor ChaosProxy {
    struct Attempt: Sendable {
        let messageId: String
        let deliveryAttempt: Int
        /// The status the proxy answered Pub/Sub with.
        var status: Int = 0
    }

    let failureRate: Double
    let holdFirstAttempt: Duration?
    private(set) var attempts: [Attempt] = []
    private var held: Set<String> = []
    private var generator = SystemRandomNumberGenerator()

    init(failureRate: Double, holdFirstAttempt: Duration? = nil) {
        self.failureRate = failureRate
        self.holdFirstAttempt = holdFirstAttempt
    }

    enum Plan { case failBefore, failAfter, hold, forward }

    private func answered(_ messageId: String, attempt: Int, status: Int) -> Int {
        self.attempts.append(Attempt(messageId: messageId, deliveryAttempt: attempt, status: status))
        return status
    }

    private func plan(messageId: String, attempt: Int, poison: Bool) -> Plan {
        if poison { return .failBefore }
        if self.holdFirstAttempt != nil, self.held.insert(messageId).inserted { return .hold }
        let roll = Double.random(in: 0..<1, using: &self.generator)
        if roll < self.failureRate / 2 { return .failBefore }
        if roll < self.failureRate { return .failAfter }
        return .forward
    }

    /// Serves the proxy on 127.0.0.1:`port`, forwarding to the host on `hostPort`, until `body` returns.
    ///
    /// The proxy has an HTTP client of its own, so that its connections to the host never share a pool with the
    /// Pub/Sub service's pushes to it.
    func serve<Result: Sendable>(port: Int, hostPort: Int, _ body: () async throws -> Result) async throws -> Result {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        defer { Task { try? await client.shutdown() } }
        let router = Router()
        router.post("/push") { request, _ -> Response in
            let bytes = Data(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            let json = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] ?? [:]
            let message = json["message"] as? [String: Any] ?? [:]
            let attributes = message["attributes"] as? [String: String] ?? [:]
            let messageId = message["messageId"] as? String ?? ""
            let attempt = json["deliveryAttempt"] as? Int ?? 0
            let plan = await self.plan(messageId: messageId, attempt: attempt, poison: attributes["poison"] != nil)
            var status = 503
            if plan != .failBefore {
                let hostStatus = await Self.forward(bytes, to: hostPort, using: client)
                status = plan == .failAfter ? 500 : hostStatus
                if plan == .hold { try? await Task.sleep(for: self.holdFirstAttempt ?? .zero) }
            }
            return Response(
                status: HTTPResponse.Status(code: await self.answered(messageId, attempt: attempt, status: status))
            )
        }
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: Logger(label: "chaos-proxy")
        )
        let server = Task { try await application.runService() }
        defer { server.cancel() }
        return try await body()
    }

    /// The host's status, or 502 when it cannot be reached (killed, restarting).
    private static func forward(_ body: Data, to port: Int, using client: HTTPClient) async -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/ingest")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try? await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        } catch {
            return 502
        }
    }
}
