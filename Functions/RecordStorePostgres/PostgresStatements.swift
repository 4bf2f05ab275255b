import ContrailKit
import PostgresNIO
import RecordStore

/// The statements of the store. Every value is a bind parameter; the text is the adapter's own.
///
/// A listing is driven by one index: `record_attributes_lookup` when filtering by attributes (the first pair
/// joined, the rest checked with `EXISTS` on the primary key), otherwise the `records` index that matches the
/// filter. Its rows (`d` for attributes, else `r` itself) carry the (publish_time, message_id, subscription) order.
enum PostgresStatements {
    static var columns: SQLFragment {
        """
        r.subscription, r.message_id, r.topic, r.publish_time, r.received_at, r.ordering_key, \
        r.delivery_attempt, r.attributes::text, r.data, r.data_json::text
        """
    }

    /// One record, stored with its attributes only when it is new; answers one row (1 or 0 stored).
    static func insert(_ record: Record) -> PostgresQuery {
        let keys = record.attributes.keys.sorted()
        let values = keys.map { record.attributes[$0]! }
        let data = ByteBuffer(bytes: record.data)
        let deliveryAttempt = record.deliveryAttempt.map { Int32(clamping: $0) }
        // JSONB cannot hold U+0000; such a payload is still kept, byte for byte, just not as JSON.
        let json = record.dataJSON.flatMap { $0.contains("\\u0000") ? nil : $0 }
        return """
            WITH inserted AS (
                INSERT INTO records (subscription, message_id, topic, publish_time, received_at, ordering_key,
                    delivery_attempt, attributes, data, data_json)
                VALUES (\(record.subscription), \(record.messageId), \(record.topic), \(record.publishTime.microsecondsSinceEpoch),
                    \(record.receivedAt.microsecondsSinceEpoch), \(record.orderingKey), \(deliveryAttempt),
                    jsonb_object(\(keys)::text[], \(values)::text[]), \(data), \(json)::jsonb)
                ON CONFLICT (subscription, message_id) DO NOTHING
                RETURNING subscription, message_id, publish_time
            ), stored_attributes AS (
                INSERT INTO record_attributes (subscription, message_id, key, value, publish_time)
                SELECT i.subscription, i.message_id, a.key, a.value, i.publish_time
                FROM inserted i CROSS JOIN unnest(\(keys)::text[], \(values)::text[]) AS a(key, value)
            )
            SELECT count(*)::bigint FROM inserted
            """
    }

    /// What a listing weighs each record by (``Record/contentSize(payloadBytes:attributeBytes:)``), from
    /// stored lengths: `octet_length` of a `bytea` reads its TOAST header, not its bytes.
    static var sizeColumns: SQLFragment {
        "octet_length(r.data)::bigint, octet_length(r.attributes::text)::bigint"
    }

    static func list(
        _ filter: RecordFilter,
        after position: RecordPosition?,
        limit: Int,
        columns: SQLFragment = Self.columns
    ) -> SQLFragment {
        let d = Self.driver(filter)
        var conditions = Self.conditions(filter)
        if let position {
            conditions.append(
                """
                (\(sql: d).publish_time, \(sql: d).message_id, \(sql: d).subscription) < \
                (\(position.publishTime.microsecondsSinceEpoch), \(position.messageId), \(position.subscription))
                """
            )
        }
        return """
            SELECT \(sql: columns) \(sql: Self.source(filter)) \(sql: Self.whereClause(conditions))
            ORDER BY \(sql: d).publish_time DESC, \(sql: d).message_id DESC, \(sql: d).subscription DESC
            LIMIT \(Int64(max(limit, 0)))
            """
    }

    static func byID(_ messageId: String, subscription: String?) -> SQLFragment {
        var conditions: [SQLFragment] = ["r.message_id = \(messageId)"]
        if let subscription { conditions.append("r.subscription = \(subscription)") }
        return """
            SELECT \(sql: Self.columns) FROM records r \(sql: Self.whereClause(conditions))
            ORDER BY r.publish_time DESC, r.subscription DESC
            LIMIT 1
            """
    }

    /// Rows of (bucket, group, count), oldest bucket first, then by group with records lacking it first.
    static func stats(_ filter: RecordFilter, bucket: StatsBucket, groupBy: String?, limit: Int) -> SQLFragment {
        let d = Self.driver(filter)
        let group: SQLFragment
        let groupJoin: SQLFragment
        if let groupBy {
            group = "g.value"
            groupJoin = """
                LEFT JOIN record_attributes g
                ON g.subscription = r.subscription AND g.message_id = r.message_id AND g.key = \(groupBy)
                """
        } else {
            group = "NULL::text"
            groupJoin = ""
        }
        return """
            SELECT \(sql: d).publish_time - (\(sql: d).publish_time % \(bucket.microseconds)) AS bucket,
                \(sql: group) AS grp, count(*)::bigint AS n
            \(sql: Self.source(filter)) \(sql: groupJoin) \(sql: Self.whereClause(Self.conditions(filter)))
            GROUP BY bucket, grp
            ORDER BY bucket, grp NULLS FIRST
            LIMIT \(Int64(clamping: max(limit, 0)))
            """
    }

    /// The alias of the rows whose index drives the query.
    private static func driver(_ filter: RecordFilter) -> SQLFragment {
        filter.attributes.isEmpty ? "r" : "d"
    }

    /// `FROM …` naming the records `r` and, when filtering by attributes, the first pair's rows `d`.
    private static func source(_ filter: RecordFilter) -> SQLFragment {
        guard let first = filter.attributes.first else { return "FROM records r" }
        return """
            FROM record_attributes d
            JOIN records r ON r.subscription = d.subscription AND r.message_id = d.message_id
                AND d.key = \(first.key) AND d.value = \(first.value)
            """
    }

    private static func conditions(_ filter: RecordFilter) -> [SQLFragment] {
        let d = Self.driver(filter)
        var conditions: [SQLFragment] = []
        if let from = filter.from { conditions.append("\(sql: d).publish_time >= \(from.microsecondsSinceEpoch)") }
        if let to = filter.to { conditions.append("\(sql: d).publish_time < \(to.microsecondsSinceEpoch)") }
        if let subscription = filter.subscription { conditions.append("\(sql: d).subscription = \(subscription)") }
        if let orderingKey = filter.orderingKey { conditions.append("r.ordering_key = \(orderingKey)") }
        for match in filter.attributes.dropFirst() {
            conditions.append(
                """
                EXISTS (SELECT 1 FROM record_attributes x WHERE x.subscription = r.subscription \
                AND x.message_id = r.message_id AND x.key = \(match.key) AND x.value = \(match.value))
                """
            )
        }
        return conditions
    }

    private static func whereClause(_ conditions: [SQLFragment]) -> SQLFragment {
        conditions.isEmpty ? "" : "WHERE \(sql: SQLFragment.join(conditions, separator: " AND "))"
    }
}
