import ContrailKit

/// The query shapes every store must serve from indexes; each adapter explains its plan for each, for the tests
/// that hold them to it.
package enum QueryShape: String, Sendable, CaseIterable {
    case listUnfiltered
    case listAfterPosition
    case listByAttribute
    case listByTwoAttributes
    case listByOrderingKey
    case listBySubscription
    case listByTimeRange
    case recordByID
    case statsByHourGroupedByAttribute

    private static let earlier = Timestamp(microsecondsSinceEpoch: 1_600_000_000_000_000)
    private static let later = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)

    /// The filter, position and grouping that produce this shape.
    package var example: (filter: RecordFilter, after: RecordPosition?, groupBy: String?) {
        let position = RecordPosition(
            publishTime: Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000),
            messageId: "m",
            subscription: "s"
        )
        let color = RecordFilter.AttributeMatch(key: "color", value: "red")
        let size = RecordFilter.AttributeMatch(key: "size", value: "L")
        switch self {
        case .listUnfiltered, .recordByID: return (RecordFilter(), nil, nil)
        case .listAfterPosition: return (RecordFilter(), position, nil)
        case .listByAttribute: return (RecordFilter(attributes: [color]), position, nil)
        case .listByTwoAttributes: return (RecordFilter(attributes: [color, size]), position, nil)
        case .listByOrderingKey: return (RecordFilter(orderingKey: "k"), position, nil)
        case .listBySubscription: return (RecordFilter(subscription: "s"), position, nil)
        case .listByTimeRange:
            return (RecordFilter(from: Self.earlier, to: Self.later), nil, nil)
        case .statsByHourGroupedByAttribute:
            return (RecordFilter(from: Self.earlier, to: Self.later), nil, "color")
        }
    }
}
