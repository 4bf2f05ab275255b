import ContrailKit
import Foundation
import HTTPTypes
import RecordStore

/// Writes records as the contract's `Record` JSON.
///
/// Written by hand rather than with `JSONEncoder` because `data` must carry the stored JSON text verbatim, and
/// because this is the query API's hot path.
enum RecordJSON {
    static func page(_ records: [Record], nextCursor: String?) -> FunctionResponse {
        var json = JSONWriter()
        json.beginObject()
        json.key("records")
        json.beginArray()
        for record in records { self.write(record, to: &json) }
        json.endArray()
        if let nextCursor { json.member("nextCursor", nextCursor) }
        json.endObject()
        return self.response(json.text)
    }

    static func single(_ record: Record) -> FunctionResponse {
        var json = JSONWriter()
        self.write(record, to: &json)
        return self.response(json.text)
    }

    static func response(_ text: String) -> FunctionResponse {
        FunctionResponse(status: .ok, headerFields: [.contentType: "application/json"], body: Data(text.utf8))
    }

    static func write(_ record: Record, to json: inout JSONWriter) {
        json.beginObject()
        json.member("messageId", record.messageId)
        json.member("subscription", record.subscription)
        if let topic = record.topic { json.member("topic", topic) }
        json.member("publishTime", record.publishTime.rfc3339)
        json.member("receivedAt", record.receivedAt.rfc3339)
        json.key("attributes")
        json.beginObject()
        for key in record.attributes.keys.sorted() { json.member(key, record.attributes[key]!) }
        json.endObject()
        if let orderingKey = record.orderingKey { json.member("orderingKey", orderingKey) }
        if let attempt = record.deliveryAttempt { json.member("deliveryAttempt", attempt) }
        if let payload = record.dataJSON {
            json.key("data")
            json.json(payload)
        }
        json.member("dataBase64", Data(record.data).base64EncodedString())
        json.endObject()
    }
}
