import Foundation
import Hummingbird
import PubSubEmulator
import ServiceLifecycle

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
                let (events, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingNewest(1))
                try await withThrowingDiscardingTaskGroup { group in
                    // The ticks run apart from the writes so that a shutdown cancels the wait between two of them;
                    // a client that goes away ends the writes, and the group cancels the ticks.
                    group.addTask {
                        let end = ContinuousClock.now.advanced(by: .seconds(60))
                        try? await cancelWhenGracefulShutdown {
                            while ContinuousClock.now < end {
                                var event = ByteBuffer(string: "event: snapshot\ndata: ")
                                event.writeBytes(try ConsoleResponse.encoder.encode(console.snapshot()))
                                event.writeString("\n\n")
                                continuation.yield(event)
                                try await Task.sleep(for: .seconds(1))
                            }
                        }
                        continuation.finish()
                    }
                    for await event in events { try await writer.write(event) }
                }
                try await writer.finish(nil)
            }
        )
    }
}
