import Foundation
import Hummingbird
import PubSubEmulator

/// The JSON API under `/api/v1`, for tests and scripts; docs/console.md lists it. Verbs on a resource follow
/// Google's custom-method form (`…/ingest-push:pause`).
struct ConsoleAPI {
    typealias Context = BasicRequestContext

    static let defaultLimit = 50
    static let maximumLimit = 1000

    let console: Console

    func register(on router: Router<Context>) {
        let api = router.group("/api/v1")
        api.get("/functions") { _, _ in
            try ConsoleResponse.json(["functions": self.console.functionViews()])
        }
        api.get("/invocations") { request, _ in
            try await self.answer {
                let query = request.uri.queryParameters
                let limit = try Self.limit(query.get("limit"))
                let entries = self.console.journal.entries(
                    before: try Self.integer(query.get("before"), name: "before"),
                    after: try Self.integer(query.get("after"), name: "after"),
                    function: query.get("function"),
                    limit: limit
                )
                return try ConsoleResponse.json([
                    "invocations": entries.map { InvocationView($0, withLogLines: false) }
                ])
            }
        }
        api.get("/invocations/:id") { _, context in
            try await self.answer {
                let id = try Self.integer(context.parameters.get("id"), name: "id") ?? 0
                guard let entry = self.console.journal.entry(id: id) else {
                    throw PubSubError.notFound("invocations/\(id)")
                }
                return try ConsoleResponse.json(InvocationView(entry, withLogLines: true))
            }
        }
        api.get("/subscriptions") { _, _ in
            try await self.answer {
                try ConsoleResponse.json(["subscriptions": try await self.console.subscriptionViews()])
            }
        }
        api.get("/subscriptions/:id/messages") { request, context in
            try await self.answer {
                let name = try await self.console.subscriptionName(context.parameters.get("id") ?? "")
                return try await self.page(of: [name], request: request, deadLetters: false)
            }
        }
        api.put("/subscriptions/:id/faults") { request, context in
            try await self.answer {
                struct Faults: Codable {
                    var failurePercent: Int?
                    var latencyMs: Int?
                }
                let body = try await request.body.collect(upTo: 64 * 1024)
                let faults: Faults
                do {
                    faults = try JSONDecoder().decode(Faults.self, from: Data(body.readableBytesView))
                } catch {
                    throw PubSubError.invalid(
                        "The body must be {\"failurePercent\": 0-100, \"latencyMs\": 0-\(Console.maximumLatencyMilliseconds)}."
                    )
                }
                let id = context.parameters.get("id") ?? ""
                try await self.console.setFaults(
                    subscription: id,
                    failurePercent: faults.failurePercent ?? 0,
                    latencyMilliseconds: faults.latencyMs ?? 0
                )
                return try ConsoleResponse.json(
                    FaultsView(failurePercent: faults.failurePercent ?? 0, latencyMs: faults.latencyMs ?? 0)
                )
            }
        }
        // The same parameter name as the routes below it: the router keeps one parameter per level.
        api.post("/subscriptions/:id") { _, context in
            try await self.answer {
                let (id, verb) = try Self.customMethod(context.parameters.get("id"))
                switch verb {
                case "pause", "resume":
                    try await self.console.setPaused(verb == "pause", subscription: id)
                    struct Paused: Encodable {
                        var subscription: String
                        var paused: Bool
                    }
                    return try ConsoleResponse.json(Paused(subscription: id, paused: verb == "pause"))
                case "skipWaits":
                    return try ConsoleResponse.json(["madeDue": try await self.console.skipWaits(subscription: id)])
                default:
                    throw PubSubError.notFound("subscriptions/\(id):\(verb)")
                }
            }
        }
        api.get("/dead-letters") { request, _ in
            try await self.answer {
                try await self.page(
                    of: try await self.console.deadLetterSubscriptions(),
                    request: request,
                    deadLetters: true
                )
            }
        }
        api.post("/dead-letters:redriveAll") { _, _ in
            try await self.answer { try ConsoleResponse.json(["redriven": try await self.console.redriveAll()]) }
        }
        api.post("/dead-letters:purgeAll") { _, _ in
            try await self.answer { try ConsoleResponse.json(["purged": try await self.console.purgeAll()]) }
        }
        api.post("/dead-letters/:subscription/:target") { _, context in
            try await self.answer {
                let subscription = context.parameters.get("subscription") ?? ""
                let (messageID, verb) = try Self.customMethod(context.parameters.get("target"))
                switch verb {
                case "redrive":
                    let id = try await self.console.redrive(subscription: subscription, messageID: messageID)
                    return try ConsoleResponse.json(["messageIds": [id]])
                case "purge":
                    try await self.console.purge(subscription: subscription, messageID: messageID)
                    return try ConsoleResponse.json(["purged": 1])
                default:
                    throw PubSubError.notFound("dead-letters/\(subscription)/\(messageID):\(verb)")
                }
            }
        }
    }

    /// A page of held messages, under `messages` (a peek) or `deadLetters`; `nextAfter` is absent on the last page.
    private struct Page: Encodable {
        var messages: [MessageView]?
        var deadLetters: [MessageView]?
        var nextAfter: Int64?
    }

    private func page(of subscriptions: [String], request: Request, deadLetters: Bool) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = try Self.limit(query.get("limit"))
        let after = try Self.integer(query.get("after"), name: "after").map(Int64.init) ?? 0
        let messages = try await self.console.messages(of: subscriptions, after: after, limit: limit + 1)
        let shown = Array(messages.prefix(limit))
        return try ConsoleResponse.json(
            Page(
                messages: deadLetters ? nil : shown,
                deadLetters: deadLetters ? shown : nil,
                nextAfter: messages.count > limit ? shown.last?.position : nil
            )
        )
    }

    /// Runs a handler, answering Pub/Sub-shaped failures in Google's error shape.
    private func answer(_ handler: () async throws -> Response) async throws -> Response {
        do {
            return try await handler()
        } catch let error as PubSubError {
            return ConsoleResponse.error(error)
        }
    }

    static func limit(_ text: String?) throws(PubSubError) -> Int {
        guard let limit = try Self.integer(text, name: "limit") else { return Self.defaultLimit }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .invalid("limit must be 1 to \(Self.maximumLimit), not \(limit).")
        }
        return limit
    }

    static func integer(_ text: String?, name: String) throws(PubSubError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw .invalid("\(name) must be a whole number of 0 or more, not \"\(text)\".")
        }
        return value
    }

    /// `resource:verb`, as Google's custom methods are named.
    static func customMethod(_ segment: String?) throws(PubSubError) -> (resource: String, verb: String) {
        guard let segment, let colon = segment.lastIndex(of: ":") else {
            throw .notFound(segment ?? "")
        }
        return (String(segment[..<colon]), String(segment[segment.index(after: colon)...]))
    }
}
