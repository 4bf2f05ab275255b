public import ContrailKit

/// Which records a listing or a count covers. Every condition must hold.
public struct RecordFilter: Sendable, Hashable {
    /// Inclusive lower bound on publishTime.
    public var from: Timestamp?
    /// Exclusive upper bound on publishTime.
    public var to: Timestamp?
    /// Attribute key/value pairs that must all be present, compared literally.
    public var attributes: [AttributeMatch]
    public var orderingKey: String?
    public var subscription: String?

    public struct AttributeMatch: Sendable, Hashable, Codable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(
        from: Timestamp? = nil,
        to: Timestamp? = nil,
        attributes: [AttributeMatch] = [],
        orderingKey: String? = nil,
        subscription: String? = nil
    ) {
        self.from = from
        self.to = to
        self.attributes = attributes
        self.orderingKey = orderingKey
        self.subscription = subscription
    }
}

/// The width of a `/stats` bucket, aligned to UTC.
public enum StatsBucket: String, Sendable, CaseIterable {
    case minute, hour, day

    public var microseconds: Int64 {
        switch self {
        case .minute: 60_000_000
        case .hour: 3_600_000_000
        case .day: 86_400_000_000
        }
    }
}

/// One bucket of a count: records whose publishTime falls in [start, start + bucket), per group when grouped.
public struct StatsRow: Sendable, Hashable {
    /// A multiple of the bucket width since the Unix epoch.
    public var bucketStart: Timestamp
    /// The grouping attribute's value; `nil` for records without that attribute, or when not grouping.
    public var group: String?
    public var count: Int

    public init(bucketStart: Timestamp, group: String?, count: Int) {
        self.bucketStart = bucketStart
        self.group = group
        self.count = count
    }
}
