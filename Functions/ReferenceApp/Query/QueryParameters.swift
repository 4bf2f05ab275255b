import ContrailKit
import RecordStore

/// The query string of a query API request, validated: every problem is a 400 naming the parameter.
struct QueryParameters {
    enum Route {
        case records, record, stats

        var allowed: Set<String> {
            switch self {
            case .records: ["limit", "cursor", "from", "to", "orderingKey", "subscription"]
            case .record: ["subscription"]
            case .stats: ["from", "to", "orderingKey", "subscription", "bucket", "groupBy"]
            }
        }

        var allowsAttributes: Bool { self != .record }
    }

    static let attributePrefix = "attributes."
    static let limitRange = 1...1000
    /// Each attribute filter is a join; past a few dozen the store's query grows beyond what it will plan.
    static let maxAttributeFilters = 32

    var filter = RecordFilter()
    var limit = 100
    var cursor: String?
    var bucket = StatsBucket.hour
    var groupBy: String?

    init(_ items: [(name: String, value: String)], route: Route) throws(FunctionError) {
        var seen: Set<String> = []
        for (name, value) in items {
            // No store can hold U+0000 in text (PostgreSQL refuses it, SQLite's C API stops at it), so no stored
            // record can match a value holding it; refusing it says so instead of silently matching a shorter value.
            if name.utf8.contains(0) || value.utf8.contains(0) {
                throw Self.invalid(name, "contains a NUL character (%00)")
            }
            if name.hasPrefix(Self.attributePrefix), route.allowsAttributes {
                let key = String(name.dropFirst(Self.attributePrefix.count))
                guard !key.isEmpty else { throw Self.invalid(name, "needs an attribute key after 'attributes.'") }
                guard self.filter.attributes.count < Self.maxAttributeFilters else {
                    throw Self.invalid(
                        name,
                        "is one filter too many: at most \(Self.maxAttributeFilters) attributes.<key> filters"
                    )
                }
                self.filter.attributes.append(RecordFilter.AttributeMatch(key: key, value: value))
                continue
            }
            guard route.allowed.contains(name) else {
                let known = route.allowed.sorted().joined(separator: ", ")
                let attributes = route.allowsAttributes ? " and attributes.<key>" : ""
                throw FunctionError(
                    .badRequest,
                    "unknown parameter '\(name)'; this route accepts \(known)\(attributes)"
                )
            }
            guard seen.insert(name).inserted else { throw Self.invalid(name, "is given more than once") }
            try self.set(name, value)
        }
        if let from = self.filter.from, let to = self.filter.to, from > to {
            throw Self.invalid("from", "is after 'to'")
        }
    }

    private mutating func set(_ name: String, _ value: String) throws(FunctionError) {
        switch name {
        case "limit":
            guard let limit = Int(value), Self.limitRange.contains(limit) else {
                throw Self.invalid(name, "must be a whole number from 1 to 1000, not '\(value)'")
            }
            self.limit = limit
        case "cursor":
            guard !value.isEmpty else { throw Self.invalid(name, "is empty") }
            self.cursor = value
        case "from", "to":
            guard let instant = Timestamp(rfc3339: value) else {
                throw Self.invalid(name, "must be an RFC 3339 time such as 2026-01-31T09:30:00Z, not '\(value)'")
            }
            if name == "from" { self.filter.from = instant } else { self.filter.to = instant }
        case "orderingKey":
            self.filter.orderingKey = value
        case "subscription":
            self.filter.subscription = value
        case "bucket":
            guard let bucket = StatsBucket(rawValue: value) else {
                throw Self.invalid(name, "must be minute, hour or day, not '\(value)'")
            }
            self.bucket = bucket
        case "groupBy":
            guard value.hasPrefix(Self.attributePrefix), value.count > Self.attributePrefix.count else {
                throw Self.invalid(name, "must name an attribute as attributes.<key>, not '\(value)'")
            }
            self.groupBy = String(value.dropFirst(Self.attributePrefix.count))
        default:
            break
        }
    }

    private static func invalid(_ name: String, _ problem: String) -> FunctionError {
        FunctionError(.badRequest, "parameter '\(name)' \(problem)")
    }
}
