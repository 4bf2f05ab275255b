import ContrailKit
import PostgresNIO
public import RecordStore

import struct Foundation.Data
import class Foundation.JSONDecoder

extension PostgresRecordStore {
    /// Inserts in (subscription, messageId) order, the same in every process, so that two transactions storing
    /// overlapping batches wait for each other instead of deadlocking. Equal keys keep their order: the first wins.
    public func insert(_ records: [Record]) async throws -> [Bool] {
        guard !records.isEmpty else { return [] }
        let order = records.indices.sorted { a, b in
            let keys = [
                (records[a].subscription, records[b].subscription), (records[a].messageId, records[b].messageId),
            ]
            for (x, y) in keys where !x.utf8.elementsEqual(y.utf8) {
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            }
            return a < b
        }
        return try await self.withConnection("storing \(records.count) record(s)") { connection in
            try await connection.withTransaction(logger: self.logger) { connection in
                var stored = [Bool](repeating: false, count: records.count)
                for index in order {
                    let statement = PostgresStatements.insert(records[index])
                    let rows = try await connection.query(statement, logger: self.logger)
                    for try await count in rows.decode(Int64.self) { stored[index] = count == 1 }
                }
                return stored
            }
        }
    }

    /// Two reads: the sizes of the candidates, then the records that fit. postgres-nio buffers rows ahead of the
    /// reader, so stopping partway through one read would not keep the rest of `limit` payloads out of memory.
    /// A commit between the two reads can only move the page's end, and the cursor follows what was read.
    public func records(
        matching filter: RecordFilter,
        after position: RecordPosition?,
        budget: PageBudget
    ) async throws -> RecordPage {
        let sizes = try PostgresStatements.list(
            filter,
            after: position,
            limit: budget.limit + 1,
            columns: PostgresStatements.sizeColumns
        ).query()
        let (count, hasMore) = try await self.withConnection("sizing a page of records") { connection in
            var budget = budget
            var count = 0
            var hasMore = false
            for try await (payload, attributes) in try await connection.query(sizes, logger: self.logger)
                .decode((Int64, Int64).self)
            {
                // Read to the end rather than break off: these rows are two numbers each.
                guard !hasMore,
                    budget.take(size: Record.contentSize(payloadBytes: Int(payload), attributeBytes: Int(attributes)))
                else {
                    hasMore = true
                    continue
                }
                count += 1
            }
            return (count, hasMore)
        }
        guard count > 0 else { return RecordPage(records: [], hasMore: false) }
        let query = try PostgresStatements.list(filter, after: position, limit: count).query()
        return RecordPage(records: try await self.fetchRecords(query, "listing records"), hasMore: hasMore)
    }

    public func record(messageId: String, subscription: String?) async throws -> Record? {
        let query = try PostgresStatements.byID(messageId, subscription: subscription).query()
        return try await self.fetchRecords(query, "reading record \(messageId)").first
    }

    public func stats(
        matching filter: RecordFilter,
        bucket: StatsBucket,
        groupBy: String?,
        limit: Int
    ) async throws
        -> [StatsRow]
    {
        let query = try PostgresStatements.stats(filter, bucket: bucket, groupBy: groupBy, limit: limit).query()
        return try await self.withConnection("counting records") { connection in
            var rows: [StatsRow] = []
            for try await (start, group, count) in try await connection.query(query, logger: self.logger)
                .decode((Int64, String?, Int64).self)
            {
                rows.append(
                    StatsRow(bucketStart: Timestamp(microsecondsSinceEpoch: start), group: group, count: Int(count))
                )
            }
            return rows
        }
    }

    private func fetchRecords(_ query: PostgresQuery, _ action: String) async throws -> [Record] {
        try await self.withConnection(action) { connection in
            try await Self.decodeRecords(connection.query(query, logger: self.logger))
        }
    }

    private static func decodeRecords(_ rows: PostgresRowSequence) async throws -> [Record] {
        var records: [Record] = []
        typealias Columns = (String, String, String?, Int64, Int64, String?, Int?, String, ByteBuffer, String?)
        for try await row in rows.decode(Columns.self) {
            let (
                subscription, messageId, topic, publishTime, receivedAt, orderingKey, attempt, attributes, data, json
            ) = row
            let bytes = Array(data.readableBytesView)
            records.append(
                Record(
                    messageId: messageId,
                    subscription: subscription,
                    topic: topic,
                    publishTime: Timestamp(microsecondsSinceEpoch: publishTime),
                    receivedAt: Timestamp(microsecondsSinceEpoch: receivedAt),
                    attributes: try Self.decodeAttributes(attributes),
                    orderingKey: orderingKey,
                    deliveryAttempt: attempt,
                    data: bytes,
                    dataJSON: json.map { Self.payloadText(bytes) ?? $0 }
                )
            )
        }
        return records
    }

    /// `dataJSON` is the payload's own text: JSONB keeps its meaning but not its spelling (spaces, key order), so
    /// the exact text is read back from the payload bytes.
    private static func payloadText(_ bytes: [UInt8]) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    private static func decodeAttributes(_ json: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        } catch {
            throw StoreError(.unexpected, "a stored attributes column is not a JSON object of strings: \(error)")
        }
    }
}
