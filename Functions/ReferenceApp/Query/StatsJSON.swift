import ContrailKit
import HTTPTypes
import RecordStore

/// Writes `/stats` answers: `{"total":N,"buckets":[{"start":…,"count":n,"groups":{…}}]}`.
enum StatsJSON {
    static func response(_ rows: [StatsRow], grouped: Bool) -> FunctionResponse {
        var buckets: [(start: Int64, count: Int, groups: [(String, Int)])] = []
        for row in rows {
            if buckets.last?.start != row.bucketStart { buckets.append((row.bucketStart, 0, [])) }
            buckets[buckets.count - 1].count += row.count
            if let group = row.group { buckets[buckets.count - 1].groups.append((group, row.count)) }
        }
        var text = "{\"total\":\(rows.reduce(0) { $0 + $1.count }),\"buckets\":["
        for (index, bucket) in buckets.enumerated() {
            if index > 0 { text += "," }
            text += "{\"start\":\"" + RFC3339.format(microseconds: bucket.start) + "\",\"count\":\(bucket.count)"
            if grouped {
                text += ",\"groups\":{"
                for (groupIndex, group) in bucket.groups.enumerated() {
                    if groupIndex > 0 { text += "," }
                    JSONString.append(group.0, to: &text)
                    text += ":\(group.1)"
                }
                text += "}"
            }
            text += "}"
        }
        return RecordJSON.response(text + "]}")
    }
}
