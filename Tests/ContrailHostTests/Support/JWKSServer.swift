import Foundation
import Hummingbird
import JWTKit
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A key server on 127.0.0.1 at a free port, serving a JWKS at `/certs` and counting its requests.
final class JWKSServer: Sendable {
    private struct State {
        var keys: [JWK]
        /// Entries of `keys` written as raw JSON, for keys `JWK` cannot express.
        var rawKeys: [String] = []
        var status: HTTPResponse.Status = .ok
        var location: URL?
        var requests = 0
    }

    private let state: Mutex<State>
    let cacheControl: String

    init(keys: [JWK], cacheControl: String) {
        self.state = Mutex(State(keys: keys))
        self.cacheControl = cacheControl
    }

    var requests: Int { self.state.withLock { $0.requests } }

    func publish(_ keys: [JWK], rawKeys: [String] = []) {
        self.state.withLock {
            $0.keys = keys
            $0.rawKeys = rawKeys
        }
    }

    func answer(_ status: HTTPResponse.Status) { self.state.withLock { $0.status = status } }

    /// Answers `302 Found` with `Location: url` instead of the keys.
    func redirect(to url: URL) {
        self.state.withLock {
            $0.status = .found
            $0.location = url
        }
    }

    /// Serves until `body` returns, handing it the URL of the key set.
    func serve<Result: Sendable>(_ body: @Sendable (URL) async throws -> Result) async throws -> Result {
        let router = Router()
        router.get("/certs") { _, _ -> Response in
            let state = self.state.withLock { state in
                state.requests += 1
                return state
            }
            let entries = try state.keys.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            let json = #"{"keys":["# + (entries + state.rawKeys).joined(separator: ",") + "]}"
            var headers: HTTPFields = [.contentType: "application/json", .cacheControl: self.cacheControl]
            if let location = state.location { headers[.location] = location.absoluteString }
            return Response(
                status: state.status,
                headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: json))
            )
        }
        let listening = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { listening.continuation.yield(port) }
            },
            logger: Logger(label: "jwks-server")
        )
        let group = ServiceGroup(services: [application], logger: Logger(label: "jwks-server"))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var ports = listening.stream.makeAsyncIterator()
            guard let port = await ports.next() else { throw ServerDidNotStart() }
            do {
                let result = try await body(URL(string: "http://127.0.0.1:\(port)/certs")!)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    struct ServerDidNotStart: Error {}
}
