import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import PubSubEmulator
import Testing

/// A web page in the developer's browser can reach the loopback service: by DNS rebinding (its own host name then
/// resolves to 127.0.0.1) or by a cross-site request. Neither may get an answer or change anything.
@Suite("Requests from web pages")
struct CrossSiteRequestTests {
    static let topics = "/v1/projects/p/topics"

    /// A live service on `address` with a free port; `test` gets the port. (HummingbirdTesting's live mode would
    /// always listen on localhost.)
    static func withLiveService(
        address: String = "127.0.0.1",
        _ test: @Sendable @escaping (_ port: Int) async throws -> Void
    ) async throws {
        let emulator = try LocalPubSub(path: ":memory:")
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: emulator.responder,
            configuration: .init(address: .hostname(address, port: 0)),
            onServerRunning: { channel in
                listening.yield(channel.localAddress?.port ?? 0)
                listening.finish()
            },
            logger: Logger(label: "pubsub-test")
        )
        let server = Task { try await application.runService() }
        do {
            var iterator = ports.makeAsyncIterator()
            try await test(try #require(await iterator.next()))
        } catch {
            server.cancel()
            _ = await server.result
            throw error
        }
        server.cancel()
        _ = await server.result
    }

    static func expectForbidden(_ reply: Reply, _ comment: Comment? = nil) {
        #expect(reply.status == 403, comment)
        #expect(reply.errorStatus == "PERMISSION_DENIED", comment)
        #expect(!reply.errorMessage.isEmpty)
    }

    /// Whether `orders` exists, asked the way a legitimate client asks.
    static func ordersExists(port: Int) async throws -> Bool {
        let reply = try await RawHTTPClient.send(
            RawHTTPClient.request("GET", "\(Self.topics)/orders", host: "127.0.0.1:\(port)"),
            port: port
        )
        return reply.status == 200
    }

    @Test(
        "A Host that is not loopback is refused with 403 and changes nothing",
        arguments: [
            "evil.example", "evil.example:8085", "127.0.0.1.nip.io:8085", "localhost.evil.example", "0.0.0.0:8085",
            "[::ffff:127.0.0.1]:8085", "127.0.0.1:99999", "127.0.0.1:", "0177.0.0.1", "::1",
        ]
    )
    func foreignHost(host: String) async throws {
        try await Self.withLiveService { port in
            let put = RawHTTPClient.request(
                "PUT",
                "\(Self.topics)/orders",
                host: host,
                headers: [("Content-Type", "application/json")],
                body: "{}"
            )
            Self.expectForbidden(try await RawHTTPClient.send(put, port: port), "\(host)")
            #expect(try await !Self.ordersExists(port: port))
            let get = RawHTTPClient.request("GET", Self.topics, host: host)
            Self.expectForbidden(try await RawHTTPClient.send(get, port: port), "\(host)")
        }
    }

    @Test("A request without a Host, or with two, is refused with 403")
    func missingOrDuplicateHost() async throws {
        try await Self.withLiveService { port in
            Self.expectForbidden(
                try await RawHTTPClient.send(RawHTTPClient.request("GET", Self.topics, host: nil), port: port)
            )
            let twice = RawHTTPClient.request(
                "GET",
                Self.topics,
                host: "127.0.0.1",
                headers: [("Host", "evil.example")]
            )
            Self.expectForbidden(try await RawHTTPClient.send(twice, port: port))
        }
    }

    @Test(
        "Loopback Hosts are served, with or without a port",
        arguments: [
            "localhost", "localhost:{port}", "LocalHost:{port}", "127.0.0.1", "127.0.0.1:{port}", "127.1.2.3:{port}",
            "[::1]", "[::1]:{port}",
        ]
    )
    func loopbackHost(host: String) async throws {
        try await Self.withLiveService { port in
            let named = host.replacingOccurrences(of: "{port}", with: "\(port)")
            let reply = try await RawHTTPClient.send(RawHTTPClient.request("GET", Self.topics, host: named), port: port)
            #expect(reply.status == 200, "\(named): \(reply.errorMessage)")
        }
    }

    @Test("The service listening on ::1 answers a client that names it [::1]")
    func ipv6Listener() async throws {
        // A machine without IPv6 has no ::1 to listen on; the service then runs on 127.0.0.1 alone.
        guard
            let probe = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
                host: "::1",
                port: 0
            ).get()
        else { return }
        try await probe.close()
        try await Self.withLiveService(address: "::1") { port in
            let request = RawHTTPClient.request("GET", Self.topics, host: "[::1]:\(port)")
            let reply = try await RawHTTPClient.send(request, port: port, address: "::1")
            #expect(reply.status == 200)
        }
    }

    @Test(
        "An Origin other than a loopback one is refused with 403 and changes nothing",
        arguments: [
            "https://evil.example", "null", "http://localhost.evil.example", "http://127.0.0.1.nip.io:8085",
            "http://localhost:8085/path", "file://", "localhost:8085",
        ]
    )
    func foreignOrigin(origin: String) async throws {
        try await Self.withLiveService { port in
            let put = RawHTTPClient.request(
                "PUT",
                "\(Self.topics)/orders",
                host: "127.0.0.1:\(port)",
                headers: [("Origin", origin), ("Content-Type", "application/json")],
                body: "{}"
            )
            Self.expectForbidden(try await RawHTTPClient.send(put, port: port), "\(origin)")
            #expect(try await !Self.ordersExists(port: port))
        }
    }

    @Test(
        "A loopback Origin is served",
        arguments: ["http://localhost:3000", "http://127.0.0.1:8085", "https://[::1]:8443"]
    )
    func loopbackOrigin(origin: String) async throws {
        try await Self.withLiveService { port in
            let put = RawHTTPClient.request(
                "PUT",
                "\(Self.topics)/orders",
                host: "localhost:\(port)",
                headers: [("Origin", origin), ("Content-Type", "application/json")],
                body: "{}"
            )
            let reply = try await RawHTTPClient.send(put, port: port)
            #expect(reply.status == 200, "\(origin): \(reply.errorMessage)")
        }
    }

    @Test(
        "A body not declared as JSON is refused with 400 and changes nothing",
        arguments: [
            "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json-seq", nil,
        ] as [String?]
    )
    func nonJSONBody(contentType: String?) async throws {
        try await Self.withLiveService { port in
            let put = RawHTTPClient.request(
                "PUT",
                "\(Self.topics)/orders",
                host: "127.0.0.1:\(port)",
                headers: contentType.map { [("Content-Type", $0)] } ?? [],
                body: "{}"
            )
            let reply = try await RawHTTPClient.send(put, port: port)
            #expect(reply.status == 400, "\(contentType ?? "none")")
            #expect(reply.errorStatus == "INVALID_ARGUMENT")
            #expect(reply.errorMessage.contains("application/json"))
            #expect(try await !Self.ordersExists(port: port))
        }
    }

    @Test(
        "JSON bodies with a charset, and requests without a body, are served",
        arguments: [
            "application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
        ]
    )
    func jsonBody(contentType: String) async throws {
        try await Self.withLiveService { port in
            let put = RawHTTPClient.request(
                "PUT",
                "\(Self.topics)/orders",
                host: "127.0.0.1:\(port)",
                headers: [("Content-Type", contentType)],
                body: "{}"
            )
            let json = try await RawHTTPClient.send(put, port: port)
            #expect(json.status == 200, "\(contentType): \(json.errorMessage)")
            let bare = RawHTTPClient.request("PUT", "\(Self.topics)/refunds", host: "127.0.0.1:\(port)")
            let empty = try await RawHTTPClient.send(bare, port: port)
            #expect(empty.status == 200, "\(empty.errorMessage)")
        }
    }
}
