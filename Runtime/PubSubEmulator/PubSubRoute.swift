import HTTPTypes

/// One REST operation of Pub/Sub v1, parsed from the method and path by hand.
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
    init?(method: HTTPRequest.Method, path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard segments.count >= 4, segments[0] == "v1", segments[1] == "projects", !segments[2].isEmpty else { return nil }
        let project = segments[2]
        let rest = Array(segments[3...])
        switch (method, rest.count) {
        case (.get, 1) where rest[0] == "topics": self = .listTopics(project: project)
        case (.get, 1) where rest[0] == "subscriptions": self = .listSubscriptions(project: project)
        case (_, 2) where rest[0] == "topics":
            guard let route = Self.topicRoute(method: method, project: project, segment: rest[1]) else { return nil }
            self = route
        case (_, 2) where rest[0] == "subscriptions":
            guard let route = Self.subscriptionRoute(method: method, project: project, segment: rest[1]) else { return nil }
            self = route
        case (.get, 3) where rest[0] == "topics" && rest[2] == "subscriptions":
            self = .listTopicSubscriptions(project: project, topic: rest[1])
        default: return nil
        }
    }

    private static func split(_ segment: String) -> (id: String, verb: String?) {
        guard let colon = segment.firstIndex(of: ":") else { return (segment, nil) }
        return (String(segment[..<colon]), String(segment[segment.index(after: colon)...]))
    }

    private static func topicRoute(method: HTTPRequest.Method, project: String, segment: String) -> PubSubRoute? {
        let (id, verb) = Self.split(segment)
        switch (method, verb) {
        case (.put, nil): return .createTopic(project: project, topic: id)
        case (.get, nil): return .getTopic(project: project, topic: id)
        case (.delete, nil): return .deleteTopic(project: project, topic: id)
        case (.patch, nil): return .updateTopic(project: project, topic: id)
        case (.post, "publish"): return .publish(project: project, topic: id)
        default: return nil
        }
    }

    private static func subscriptionRoute(method: HTTPRequest.Method, project: String, segment: String) -> PubSubRoute? {
        let (id, verb) = Self.split(segment)
        switch (method, verb) {
        case (.put, nil): return .createSubscription(project: project, subscription: id)
        case (.get, nil): return .getSubscription(project: project, subscription: id)
        case (.delete, nil): return .deleteSubscription(project: project, subscription: id)
        case (.patch, nil): return .updateSubscription(project: project, subscription: id)
        case (.post, "pull"): return .pull(project: project, subscription: id)
        case (.post, "acknowledge"): return .acknowledge(project: project, subscription: id)
        case (.post, "modifyAckDeadline"): return .modifyAckDeadline(project: project, subscription: id)
        case (.post, "modifyPushConfig"): return .modifyPushConfig(project: project, subscription: id)
        default: return nil
        }
    }
}
