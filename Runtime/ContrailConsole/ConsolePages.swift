import Foundation
import Hummingbird
import Mustache
import PubSubEmulator

/// The pages and the forms they post. A form's action answers 303 back to its page with a notice, or renders the
/// page again with the error and the status that says why, having changed nothing.
struct ConsolePages {
    typealias Context = BasicRequestContext

    static let pageSize = 50
    static let maximumFormBytes = 1 << 20

    let console: Console

    func register(on router: Router<Context>) {
        router.get("/") { request, _ in try await self.functions(request) }
        router.get("/invocations/:id") { _, context in
            guard let id = context.parameters.get("id").flatMap(Int.init),
                let entry = self.console.journal.entry(id: id)
            else {
                return Self.render(
                    "missing",
                    Missing(
                        title: "Invocation not kept",
                        message:
                            "The console keeps the latest \(InvocationJournal.capacity) invocations; this one is not among them."
                    ),
                    status: .notFound
                )
            }
            return Self.render("invocation", InvocationPage(invocation: InvocationView(entry, withLogLines: true)))
        }
        router.get("/pubsub") { request, _ in
            try await self.pubsub(notice: request.uri.queryParameters.get("notice"))
        }
        router.get("/pubsub/subscriptions/:id/messages") { request, context in
            try await self.peek(id: context.parameters.get("id") ?? "", request: request)
        }
        router.get("/dead-letters") { request, _ in
            try await self.deadLetters(request: request, notice: request.uri.queryParameters.get("notice"))
        }
        router.post("/pubsub/publish") { request, _ in
            let form = try await Self.form(PublishForm.self, request)
            do throws(PubSubError) {
                let id = try await self.console.publish(
                    topic: form.topic ?? "",
                    data: form.data ?? "",
                    attributes: form.attributes ?? "",
                    orderingKey: form.orderingKey ?? ""
                )
                return ConsoleResponse.seeOther("/pubsub", notice: "Published message \(id) to \(form.topic ?? "").")
            } catch {
                return try await self.pubsub(error: error, form: form)
            }
        }
        router.post("/pubsub/subscriptions/:id/:action") { request, context in
            let id = context.parameters.get("id") ?? ""
            let action = context.parameters.get("action")
            // Read before anything can fail with a Pub/Sub error: a body that is no form is a plain 400.
            let form = action == "faults" ? try await Self.form(FaultsForm.self, request) : FaultsForm()
            do throws(PubSubError) {
                let notice: String
                switch action {
                case "faults":
                    let percent = try Self.number(form.failurePercent, name: "failurePercent")
                    let latency = try Self.number(form.latencyMs, name: "latencyMs")
                    try await self.console.setFaults(
                        subscription: id,
                        failurePercent: percent,
                        latencyMilliseconds: latency
                    )
                    notice = "Pushes of \(id): \(percent)% fail, each waits \(latency) ms first."
                case "pause":
                    try await self.console.setPaused(true, subscription: id)
                    notice = "Delivery of \(id) is paused."
                case "resume":
                    try await self.console.setPaused(false, subscription: id)
                    notice = "Delivery of \(id) resumed."
                case "skip-waits":
                    let count = try await self.console.skipWaits(subscription: id)
                    notice = "\(count) messages of \(id) are deliverable now."
                default:
                    throw PubSubError.notFound(request.uri.path)
                }
                return ConsoleResponse.seeOther("/pubsub", notice: notice)
            } catch {
                return try await self.pubsub(error: error)
            }
        }
        router.post("/dead-letters/:subscription/:message/:action") { request, context in
            let subscription = context.parameters.get("subscription") ?? ""
            let message = context.parameters.get("message") ?? ""
            do throws(PubSubError) {
                switch context.parameters.get("action") {
                case "redrive":
                    let id = try await self.console.redrive(subscription: subscription, messageID: message)
                    return ConsoleResponse.seeOther(
                        "/dead-letters",
                        notice: "Redrove message \(message) to its topic as message \(id)."
                    )
                case "purge":
                    try await self.console.purge(subscription: subscription, messageID: message)
                    return ConsoleResponse.seeOther("/dead-letters", notice: "Purged message \(message).")
                default:
                    throw PubSubError.notFound(request.uri.path)
                }
            } catch {
                return try await self.deadLetters(request: request, error: error)
            }
        }
        let everyDeadLetter: [(path: String, verb: String, act: @Sendable (Console) async throws(PubSubError) -> Int)] =
            [
                (
                    "/dead-letters/redrive-all", "Redrove",
                    { console throws(PubSubError) in try await console.redriveAll() }
                ),
                ("/dead-letters/purge-all", "Purged", { console throws(PubSubError) in try await console.purgeAll() }),
            ]
        for action in everyDeadLetter {
            router.post(RouterPath(action.path)) { request, _ in
                do throws(PubSubError) {
                    let count = try await action.act(self.console)
                    return ConsoleResponse.seeOther("/dead-letters", notice: "\(action.verb) \(count) dead letters.")
                } catch {
                    return try await self.deadLetters(request: request, error: error)
                }
            }
        }
    }

    private func functions(_ request: Request) async throws -> Response {
        let before = request.uri.queryParameters.get("before").flatMap(Int.init)
        let entries = self.console.journal.entries(before: before, limit: Self.pageSize + 1)
        let shown = entries.prefix(Self.pageSize).map { InvocationView($0, withLogLines: false) }
        return Self.render(
            "functions",
            FunctionsPage(
                functions: self.console.functionViews(),
                invocations: Array(shown),
                latest: before == nil ? self.console.journal.latestID : (shown.first?.id ?? 0),
                live: before == nil,
                older: entries.count > Self.pageSize ? shown.last?.id : nil
            )
        )
    }

    private func pubsub(
        notice: String? = nil,
        error: PubSubError? = nil,
        form: PublishForm? = nil
    ) async throws
        -> Response
    {
        let topics = try await self.console.topicIDs()
        let subscriptions = try await self.console.subscriptionViews()
        let chosen = form?.topic ?? topics.first
        return Self.render(
            "pubsub",
            PubSubPage(
                topics: topics.map { topic in
                    TopicOption(
                        id: topic,
                        selected: topic == chosen,
                        subscriptions: subscriptions.filter { $0.topic == topic }.map(\.id).joined(separator: ", ")
                    )
                },
                subscriptions: subscriptions,
                notice: notice,
                error: error?.message,
                data: form?.data ?? "",
                attributes: form?.attributes ?? "",
                orderingKey: form?.orderingKey ?? ""
            ),
            status: error.map { HTTPResponse.Status(code: $0.code) } ?? .ok
        )
    }

    private func peek(id: String, request: Request) async throws -> Response {
        do throws(PubSubError) {
            let name = try await self.console.subscriptionName(id)
            let after = Int64(request.uri.queryParameters.get("after") ?? "") ?? 0
            let messages = try await self.console.messages(of: [name], after: after, limit: Self.pageSize + 1)
            let backlog = try await self.console.pubsub.unacknowledgedMessageCount(subscription: name)
            return Self.render(
                "peek",
                PeekPage(
                    subscription: id,
                    backlog: backlog,
                    messages: Array(messages.prefix(Self.pageSize)),
                    next: messages.count > Self.pageSize ? messages[Self.pageSize - 1].position : nil
                )
            )
        } catch {
            return Self.render(
                "missing",
                Missing(title: "No such subscription", message: error.message),
                status: HTTPResponse.Status(code: error.code)
            )
        }
    }

    private func deadLetters(
        request: Request,
        notice: String? = nil,
        error: PubSubError? = nil
    ) async throws -> Response {
        let keepers = try await self.console.deadLetterSubscriptions()
        let after = Int64(request.uri.queryParameters.get("after") ?? "") ?? 0
        let messages = try await self.console.messages(of: keepers, after: after, limit: Self.pageSize + 1)
        return Self.render(
            "dead-letters",
            DeadLettersPage(
                deadLetters: Array(messages.prefix(Self.pageSize)),
                any: !messages.isEmpty,
                keepers: keepers.map(ResourceID.short).joined(separator: ", "),
                next: messages.count > Self.pageSize ? messages[Self.pageSize - 1].position : nil,
                notice: notice,
                error: error?.message
            ),
            status: error.map { HTTPResponse.Status(code: $0.code) } ?? .ok
        )
    }

    private static func render(_ template: String, _ page: Any, status: HTTPResponse.Status = .ok) -> Response {
        ConsoleResponse.html(ConsoleTemplates.library.render(page, withTemplate: template) ?? "", status: status)
    }

    private static func form<Form: Decodable>(_ type: Form.Type, _ request: Request) async throws -> Form {
        let body = try await request.body.collect(upTo: Self.maximumFormBytes)
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "The form's fields could not be read: \(error)")
        }
    }

    private static func number(_ text: String?, name: String) throws(PubSubError) -> Int {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return 0 }
        guard let value = Int(trimmed) else { throw .invalid("\(name) must be a whole number, not \"\(trimmed)\".") }
        return value
    }
}

struct PublishForm: Decodable {
    var topic: String?
    var data: String?
    var attributes: String?
    var orderingKey: String?
}

struct FaultsForm: Decodable {
    var failurePercent: String?
    var latencyMs: String?
}

// What each template is rendered with.

struct FunctionsPage {
    let title = "Functions"
    var functions: [FunctionView]
    var invocations: [InvocationView]
    var latest: Int
    var live: Bool
    var older: Int?
}

struct InvocationPage {
    let title = "Invocation"
    var invocation: InvocationView
}

struct TopicOption {
    var id: String
    var selected: Bool
    /// The ids of its subscriptions, for the topics table.
    var subscriptions: String
}

struct PubSubPage {
    let title = "Topics and subscriptions"
    var topics: [TopicOption]
    var subscriptions: [SubscriptionView]
    var notice: String?
    var error: String?
    var data: String
    var attributes: String
    var orderingKey: String
}

struct PeekPage {
    let title = "Peek"
    var subscription: String
    var backlog: Int
    var messages: [MessageView]
    var next: Int64?
}

struct DeadLettersPage {
    let title = "Dead letters"
    var deadLetters: [MessageView]
    var any: Bool
    var keepers: String
    var next: Int64?
    var notice: String?
    var error: String?
}

struct Missing {
    var title: String
    var message: String
}
