import Hummingbird
import Logging

/// What travels with a request along the host's routes: Hummingbird's own context, and on a function's route
/// the invocation its middleware made.
struct HostRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var invocation: Invocation?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
    }

    /// A context for a request answered in process, with no connection behind it.
    init(logger: Logger) {
        self.coreContext = CoreRequestContextStorage(source: InProcessSource(logger: logger))
    }

    private struct InProcessSource: RequestContextSource {
        let logger: Logger
    }
}
