/// The analytics store behind `ingest` and `query`.
///
/// Every adapter passes the same conformance suite. Listings are newest first by (publishTime, messageId,
/// subscription) and are served from indexes, so their cost follows the rows returned, not the table size.
public protocol RecordStore: Sendable {
    /// Creates the schema, or upgrades an older one in place; never drops data. Safe to run from several
    /// processes at once.
    func migrate() async throws

    /// Stores `records` in one transaction, durable when this returns. A record whose (subscription, messageId)
    /// is already stored is skipped. Returns, per record, whether it was newly stored.
    func insert(_ records: [Record]) async throws -> [Bool]

    /// The records matching `filter`, newest first, strictly after `position` when given, as many as `budget`
    /// takes. Stores choose the page from the records' stored sizes before reading their payloads, so a listing
    /// holds in memory about one page, never `limit` payloads of any size.
    func records(
        matching filter: RecordFilter,
        after position: RecordPosition?,
        budget: PageBudget
    ) async throws
        -> RecordPage

    /// The newest record with this message id (in `subscription`, when given).
    func record(messageId: String, subscription: String?) async throws -> Record?

    /// Counts of records matching `filter` per bucket (and per value of the attribute `groupBy`), oldest first;
    /// the first `limit` rows of them.
    func stats(
        matching filter: RecordFilter,
        bucket: StatsBucket,
        groupBy: String?,
        limit: Int
    ) async throws
        -> [StatsRow]

    /// A secret shared by every process using this store, for signing cursors; created by `migrate()`.
    func cursorSecret() async throws -> [UInt8]

    /// Throws when the store cannot be reached.
    func ping() async throws
}

extension RecordStore {
    /// Up to `limit` records matching `filter`, newest first, strictly after `position`, whatever their size.
    public func records(
        matching filter: RecordFilter,
        after position: RecordPosition?,
        limit: Int
    ) async throws
        -> [Record]
    {
        try await self.records(matching: filter, after: position, budget: PageBudget(limit: limit)).records
    }

    /// Every count of records matching `filter` per bucket (and group), however many there are.
    public func stats(matching filter: RecordFilter, bucket: StatsBucket, groupBy: String?) async throws -> [StatsRow] {
        try await self.stats(matching: filter, bucket: bucket, groupBy: groupBy, limit: .max)
    }
}
