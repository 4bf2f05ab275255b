import ContrailKit
import HTTPTypes
import RecordStore

/// Writes `/stats` answers: `{"total":N,"buckets":[{"start":…,"count":n,"groups":{…}}]}`.
enum StatsJSON {
    static func response(_ rows: [StatsRow], grouped: Bool) -> FunctionResponse {
        var buckets: [(start: Timestamp, count: Int, groups: [(String, Int)])] = []
        for row in rows {
            if buckets.last?.start != row.bucketStart { buckets.append((row.bucketStart, 0, [])) }
            buckets[buckets.count - 1].count += row.count
            if let group = row.group { buckets[buckets.count - 1].groups.append((group, row.count)) }
        }
        var json = JSONWriter()
        json.beginObject()
        json.member("total", rows.reduce(0) { $0 + $1.count })
        json.key("buckets")
        json.beginArray()
        for bucket in buckets {
            json.beginObject()
            json.member("start", bucket.start.rfc3339)
            json.member("count", bucket.count)
            if grouped {
                json.key("groups")
                json.beginObject()
                for (group, count) in bucket.groups { json.member(group, count) }
                json.endObject()
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return RecordJSON.response(json.text)
    }
}
