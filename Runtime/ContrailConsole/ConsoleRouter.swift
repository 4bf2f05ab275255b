import Foundation
import Hummingbird
import PubSubEmulator
import ServiceLifecycle
import Synchronization

/// The console's routes: pages, the forms they post, the JSON API, the event stream and the two assets.
struct ConsoleRouter {
    typealias Context = BasicRequestContext

    let console: Console

    func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: ConsoleGuard())
        let pages = ConsolePages(console: self.console)
        let api = ConsoleAPI(console: self.console)
        router.get("/console.css") { _, _ in
            ConsoleResponse.asset(ConsoleAssets.css, contentType: "text/css; charset=utf-8")
        }
        router.get("/console.js") { _, _ in
            ConsoleResponse.asset(ConsoleAssets.script, contentType: "text/javascript; charset=utf-8")
        }
        router.get("/events") { _, _ in self.events() }
        pages.register(on: router)
        api.register(on: router)
        return router
    }

    /// A `snapshot` event a second. A stream lasts a minute at most (the browser reconnects after a second), and
    /// ends at once when `dev` shuts down, so an open tab never holds up a stop.
    private func events() -> Response {
        let console = self.console
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                let end = ContinuousClock.now.advanced(by: .seconds(60))
                let stopping = Mutex(false)
                try await withGracefulShutdownHandler {
                    while ContinuousClock.now < end, !stopping.withLock({ $0 }) {
                        let data = try ConsoleResponse.encoder.encode(console.snapshot())
                        var event = ByteBuffer(string: "event: snapshot\ndata: ")
                        event.writeBytes(data)
                        event.writeString("\n\n")
                        try await writer.write(event)
                        try await Task.sleep(for: .seconds(1))
                    }
                } onGracefulShutdown: {
                    stopping.withLock { $0 = true }
                }
                try await writer.finish(nil)
            }
        )
    }
}
