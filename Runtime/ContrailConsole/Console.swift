public import ContrailHost
public import ContrailKit
import Hummingbird
public import Logging
public import PubSubEmulator
public import ServiceLifecycle

/// `contrail dev`'s console: the pipeline shown live in a browser, with the test controls, on loopback only.
///
/// Everything it shows comes from the values `dev` already runs: the registry, the local Pub/Sub service and its
/// push deliverer, and the journal the functions host reports every invocation to.
public struct Console: Sendable {
    /// A registered function as the console lists it.
    public struct Function: Sendable {
        public var name: String
        public var url: String
        public var trigger: MessageTrigger?

        public init(name: String, url: String, trigger: MessageTrigger?) {
            self.name = name
            self.url = url
            self.trigger = trigger
        }
    }

    let functions: [Function]
    let journal: InvocationJournal
    let pubsub: LocalPubSub
    let deliverer: PushDeliverer
    let project: String

    public init(
        functions: [Function],
        journal: InvocationJournal,
        pubsub: LocalPubSub,
        deliverer: PushDeliverer,
        project: String
    ) {
        self.functions = functions
        self.journal = journal
        self.pubsub = pubsub
        self.deliverer = deliverer
        self.project = project
    }

    /// The console on 127.0.0.1 and ::1 at `port`; a machine without IPv6 serves it on 127.0.0.1 alone.
    public func services(port: Int, logger: Logger) -> [any Service] {
        let responder = ConsoleRouter(console: self).router().buildResponder()
        return [
            ConsoleListener(responder: responder, host: "127.0.0.1", port: port, logger: logger),
            IPv6LoopbackListener(
                application: ConsoleListener(responder: responder, host: "::1", port: port, logger: logger),
                serviceName: "the console",
                logger: logger
            ),
        ]
    }
}
