import ContrailKit
import Foundation
import GRDB
import RecordStore

/// The SQL of each operation, with its arguments. Values are always bound, never spliced into the text.
enum SQLiteStatements {
    struct Query {
        var sql: String
        var arguments: StatementArguments
    }

    static func insert(_ record: StoredRecord, in db: Database) throws -> Bool {
        let attributes = AttributesJSON.encode(record.attributes)
        try db.cachedStatement(
            sql: """
                INSERT INTO records (subscription, message_id, topic, publish_time, received_at, ordering_key,
                    delivery_attempt, attributes, data, data_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (subscription, message_id) DO NOTHING
                """
        ).execute(arguments: [
            record.subscription, record.messageId, record.topic, record.publishTime.microsecondsSinceEpoch,
            record.receivedAt.microsecondsSinceEpoch,
            record.orderingKey, record.deliveryAttempt, attributes, Data(record.data), record.dataJSON,
        ])
        guard db.changesCount == 1 else { return false }
        let attribute = try db.cachedStatement(
            sql: """
                INSERT INTO record_attributes (subscription, message_id, key, value, publish_time)
                VALUES (?, ?, ?, ?, ?)
                """
        )
        for (key, value) in record.attributes {
            try attribute.execute(arguments: [
                record.subscription, record.messageId, key, value, record.publishTime.microsecondsSinceEpoch,
            ])
        }
        return true
    }

    /// The columns ``record(_:)`` reads, by position: looking columns up by name on every row of every page cost
    /// more than the rest of decoding it.
    static let recordColumns = """
        r.subscription, r.message_id, r.topic, r.publish_time, r.received_at, r.ordering_key, r.delivery_attempt, \
        r.attributes, r.data, r.data_json
        """

    /// A listing's columns: the record's, then the lengths ``contentSize(_:)`` weighs it by. `length` of a blob
    /// reads only its header, not its bytes.
    static let listColumns = recordColumns + ", length(r.data), length(r.attributes)"

    static func list(_ filter: RecordFilter, after position: RecordPosition?, limit: Int) -> Query {
        var query = self.filtered(filter, select: self.listColumns, extraJoin: nil)
        let order = query.orderSource
        if let position {
            query.conditions.append("(\(order).publish_time, \(order).message_id, \(order).subscription) < (?, ?, ?)")
            query.arguments += [position.publishTime.microsecondsSinceEpoch, position.messageId, position.subscription]
        }
        var sql = query.sql
        sql += " ORDER BY \(order).publish_time DESC, \(order).message_id DESC, \(order).subscription DESC LIMIT ?"
        query.arguments += [limit]
        return Query(sql: sql, arguments: query.arguments)
    }

    static func byID(_ messageId: String, subscription: String?) -> Query {
        var sql = "SELECT \(self.recordColumns) FROM records r WHERE r.message_id = ?"
        var arguments: StatementArguments = [messageId]
        if let subscription {
            sql += " AND r.subscription = ?"
            arguments += [subscription]
        }
        return Query(sql: sql + " ORDER BY r.publish_time DESC, r.subscription DESC LIMIT 1", arguments: arguments)
    }

    static func stats(_ filter: RecordFilter, bucket: StatsBucket, groupBy: String?, limit: Int) -> Query {
        let width = bucket.microseconds
        var query: FilteredQuery
        if let groupBy {
            query = self.filtered(
                filter,
                select: "",
                extraJoin: (
                    "LEFT JOIN record_attributes g ON g.subscription = r.subscription AND g.message_id = r.message_id AND g.key = ?",
                    [groupBy]
                )
            )
            query.select =
                "(\(query.orderSource).publish_time / \(width)) * \(width) AS bucket, g.value AS grp, COUNT(*) AS n"
        } else {
            query = self.filtered(filter, select: "", extraJoin: nil)
            query.select =
                "(\(query.orderSource).publish_time / \(width)) * \(width) AS bucket, NULL AS grp, COUNT(*) AS n"
        }
        return Query(
            sql: query.sql + " GROUP BY bucket, grp ORDER BY bucket, grp LIMIT ?",
            arguments: query.arguments + [Int64(clamping: limit)]
        )
    }

    /// A listed row's weight in its page's byte budget, read before the record is decoded.
    static func contentSize(_ row: Row) -> Int {
        StoredRecord.contentSize(payloadBytes: (row[10] as Int?) ?? 0, attributeBytes: (row[11] as Int?) ?? 0)
    }

    static func record(_ row: Row) throws -> StoredRecord {
        let attributesText: String = row[7]
        let data: Data = row[8]
        return StoredRecord(
            messageId: row[1],
            subscription: row[0],
            topic: row[2],
            publishTime: Timestamp(microsecondsSinceEpoch: row[3]),
            receivedAt: Timestamp(microsecondsSinceEpoch: row[4]),
            attributes: try AttributesJSON.decode(attributesText),
            orderingKey: row[5],
            deliveryAttempt: row[6],
            data: Array(data),
            dataJSON: row[9]
        )
    }

    /// FROM, JOIN and WHERE for a filter. The first attribute match drives the scan through
    /// `record_attributes_lookup`, whose order is the listing order; the rest are probed by primary key.
    struct FilteredQuery {
        var select: String
        var from: String
        var conditions: [String] = []
        var arguments: StatementArguments = []
        /// The table alias whose (publish_time, message_id, subscription) the index scan yields in order.
        var orderSource: String

        var sql: String {
            "SELECT \(self.select) FROM \(self.from)"
                + (self.conditions.isEmpty ? "" : " WHERE " + self.conditions.joined(separator: " AND "))
        }
    }

    private static func filtered(
        _ filter: RecordFilter,
        select: String,
        extraJoin: (sql: String, arguments: StatementArguments)?
    ) -> FilteredQuery {
        var query = FilteredQuery(select: select, from: "records r", orderSource: "r")
        if !filter.attributes.isEmpty {
            query.from =
                "record_attributes a0 JOIN records r ON r.subscription = a0.subscription AND r.message_id = a0.message_id"
            query.orderSource = "a0"
        }
        if let extraJoin {
            query.from += " " + extraJoin.sql
            query.arguments += extraJoin.arguments
        }
        if let first = filter.attributes.first {
            query.conditions.append("a0.key = ? AND a0.value = ?")
            query.arguments += [first.key, first.value]
        }
        for match in filter.attributes.dropFirst() {
            query.conditions.append(
                "EXISTS (SELECT 1 FROM record_attributes a WHERE a.subscription = r.subscription "
                    + "AND a.message_id = r.message_id AND a.key = ? AND a.value = ?)"
            )
            query.arguments += [match.key, match.value]
        }
        let source = query.orderSource
        if let subscription = filter.subscription {
            query.conditions.append("r.subscription = ?")
            query.arguments += [subscription]
        }
        if let orderingKey = filter.orderingKey {
            query.conditions.append("r.ordering_key = ?")
            query.arguments += [orderingKey]
        }
        if let from = filter.from {
            query.conditions.append("\(source).publish_time >= ?")
            query.arguments += [from.microsecondsSinceEpoch]
        }
        if let to = filter.to {
            query.conditions.append("\(source).publish_time < ?")
            query.arguments += [to.microsecondsSinceEpoch]
        }
        return query
    }
}
