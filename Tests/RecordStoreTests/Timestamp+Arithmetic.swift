public import ContrailKit

/// Times in these tests are written as microseconds since the epoch and moved by microseconds.
extension Timestamp: ExpressibleByIntegerLiteral {
    public init(integerLiteral microseconds: Int64) {
        self.init(microsecondsSinceEpoch: microseconds)
    }

    static func + (time: Timestamp, microseconds: Int64) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: time.microsecondsSinceEpoch + microseconds)
    }

    static func - (time: Timestamp, microseconds: Int64) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: time.microsecondsSinceEpoch - microseconds)
    }
}
