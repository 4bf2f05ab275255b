/// One page of a listing, and whether more records follow it.
public struct RecordPage: Sendable, Hashable {
    public var records: [Record]
    /// Whether a record matching the same filter follows the last one on this page.
    public var hasMore: Bool

    public init(records: [Record], hasMore: Bool) {
        self.records = records
        self.hasMore = hasMore
    }
}

/// How much a page may hold: a number of records and a number of bytes, whichever runs out first.
///
/// A page always takes its first record, however large, so that a listing never stalls on a big one; after that
/// it stops before the record that would take it past `maxBytes`.
public struct PageBudget: Sendable, Hashable {
    public var limit: Int
    public var maxBytes: Int
    private var records = 0
    private var bytes = 0

    public init(limit: Int, maxBytes: Int = .max) {
        self.limit = limit
        self.maxBytes = maxBytes
    }

    /// Takes a record of `size` bytes (see ``Record/contentSize(payloadBytes:attributeBytes:)``) onto the page,
    /// or returns `false` when it does not fit: the page is then complete and that record starts the next one.
    public mutating func take(size: Int) -> Bool {
        guard self.records < self.limit else { return false }
        guard self.records == 0 || size <= self.maxBytes - self.bytes else { return false }
        self.records += 1
        self.bytes += size
        return true
    }
}

extension Record {
    /// What a record weighs in a page's byte budget: its payload twice (an answer carries it as base64 and, when
    /// it is JSON, as JSON too) and the stored text of its attributes. Stores take both lengths from their columns
    /// (`length`, `octet_length`), so that they choose a page before they read any payload.
    public static func contentSize(payloadBytes: Int, attributeBytes: Int) -> Int {
        2 * payloadBytes + attributeBytes
    }
}
