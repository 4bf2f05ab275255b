import Foundation
import HTTPTypes

/// One REST operation of Pub/Sub v1, parsed from the method and path by hand, with its ids decoded and validated.
enum PubSubRoute: Equatable {
    case createTopic(project: String, topic: String)
    case getTopic(project: String, topic: String)
    case deleteTopic(project: String, topic: String)
    case updateTopic(project: String, topic: String)
    case listTopics(project: String)
    case listTopicSubscriptions(project: String, topic: String)
    case publish(project: String, topic: String)
    case createSubscription(project: String, subscription: String)
    case getSubscription(project: String, subscription: String)
    case deleteSubscription(project: String, subscription: String)
    case updateSubscription(project: String, subscription: String)
    case listSubscriptions(project: String)
    case pull(project: String, subscription: String)
    case acknowledge(project: String, subscription: String)
    case modifyAckDeadline(project: String, subscription: String)
    case modifyPushConfig(project: String, subscription: String)

    /// `nil` when no operation has this method and path (a 404 without a resource).
    ///
    /// Ids are validated once percent-decoded, as Google reads them: `ab%20c` names `ab c`, which is refused.
    /// - Throws: INVALID_ARGUMENT for a project or resource id that is not valid once decoded.
    init?(method: HTTPRequest.Method, path: String) throws(PubSubError) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard segments.count >= 4, segments[0] == "v1", segments[1] == "projects", !segments[2].isEmpty else {
            return nil
        }
        let project = try Self.decode(segments[2], what: "project id")
        try ResourceName.validate(project: project)
        let rest = Array(segments[3...])
        switch (method, rest.count) {
        case (.get, 1) where rest[0] == "topics": self = .listTopics(project: project)
        case (.get, 1) where rest[0] == "subscriptions": self = .listSubscriptions(project: project)
        case (_, 2) where rest[0] == "topics":
            guard let route = try Self.topicRoute(method: method, project: project, segment: rest[1]) else {
                return nil
            }
            self = route
        case (_, 2) where rest[0] == "subscriptions":
            guard let route = try Self.subscriptionRoute(method: method, project: project, segment: rest[1]) else {
                return nil
            }
            self = route
        case (.get, 3) where rest[0] == "topics" && rest[2] == "subscriptions":
            self = .listTopicSubscriptions(project: project, topic: try Self.id(rest[1], kind: "topic"))
        default: return nil
        }
    }

    /// The id and the custom verb after its colon, both as written in the path.
    private static func split(_ segment: String) -> (id: String, verb: String?) {
        guard let colon = segment.firstIndex(of: ":") else { return (segment, nil) }
        return (String(segment[..<colon]), String(segment[segment.index(after: colon)...]))
    }

    private static func decode(_ raw: String, what: String) throws(PubSubError) -> String {
        guard let decoded = raw.removingPercentEncoding else {
            throw .invalid(
                "Invalid \(what) \"\(raw)\": each % must begin an escape of UTF-8, such as %25 for % itself."
            )
        }
        return decoded
    }

    private static func id(_ raw: String, kind: String) throws(PubSubError) -> String {
        let id = try Self.decode(raw, what: "\(kind) id")
        try ResourceName.validate(id: id, kind: kind)
        return id
    }

    private static func topicRoute(
        method: HTTPRequest.Method,
        project: String,
        segment: String
    ) throws(PubSubError) -> PubSubRoute? {
        let (raw, verb) = Self.split(segment)
        let route: (String) -> PubSubRoute
        switch (method, verb) {
        case (.put, nil): route = { .createTopic(project: project, topic: $0) }
        case (.get, nil): route = { .getTopic(project: project, topic: $0) }
        case (.delete, nil): route = { .deleteTopic(project: project, topic: $0) }
        case (.patch, nil): route = { .updateTopic(project: project, topic: $0) }
        case (.post, "publish"): route = { .publish(project: project, topic: $0) }
        default: return nil
        }
        return route(try Self.id(raw, kind: "topic"))
    }

    private static func subscriptionRoute(
        method: HTTPRequest.Method,
        project: String,
        segment: String
    ) throws(PubSubError) -> PubSubRoute? {
        let (raw, verb) = Self.split(segment)
        let route: (String) -> PubSubRoute
        switch (method, verb) {
        case (.put, nil): route = { .createSubscription(project: project, subscription: $0) }
        case (.get, nil): route = { .getSubscription(project: project, subscription: $0) }
        case (.delete, nil): route = { .deleteSubscription(project: project, subscription: $0) }
        case (.patch, nil): route = { .updateSubscription(project: project, subscription: $0) }
        case (.post, "pull"): route = { .pull(project: project, subscription: $0) }
        case (.post, "acknowledge"): route = { .acknowledge(project: project, subscription: $0) }
        case (.post, "modifyAckDeadline"): route = { .modifyAckDeadline(project: project, subscription: $0) }
        case (.post, "modifyPushConfig"): route = { .modifyPushConfig(project: project, subscription: $0) }
        default: return nil
        }
        return route(try Self.id(raw, kind: "subscription"))
    }
}
