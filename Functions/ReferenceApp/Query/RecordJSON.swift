import ContrailKit
import HTTPTypes
import Foundation
import RecordStore

/// Writes records as the contract's `Record` JSON.
///
/// Written by hand rather than with `JSONEncoder` because `data` must carry the stored JSON text verbatim, and
/// because this is the query API's hot path.
enum RecordJSON {
    static func page(_ records: [Record], nextCursor: String?) -> FunctionResponse {
        var text = "{\"records\":["
        for (index, record) in records.enumerated() {
            if index > 0 { text += "," }
            self.append(record, to: &text)
        }
        text += "]"
        if let nextCursor {
            text += ",\"nextCursor\":"
            JSONString.append(nextCursor, to: &text)
        }
        text += "}"
        return self.response(text)
    }

    static func single(_ record: Record) -> FunctionResponse {
        var text = ""
        self.append(record, to: &text)
        return self.response(text)
    }

    static func response(_ text: String) -> FunctionResponse {
        FunctionResponse(status: .ok, headerFields: [.contentType: "application/json"], body: Data(text.utf8))
    }

    static func append(_ record: Record, to text: inout String) {
        text += "{\"messageId\":"
        JSONString.append(record.messageId, to: &text)
        text += ",\"subscription\":"
        JSONString.append(record.subscription, to: &text)
        if let topic = record.topic {
            text += ",\"topic\":"
            JSONString.append(topic, to: &text)
        }
        text += ",\"publishTime\":\"" + RFC3339.format(microseconds: record.publishTime) + "\""
        text += ",\"receivedAt\":\"" + RFC3339.format(microseconds: record.receivedAt) + "\""
        text += ",\"attributes\":{"
        for (index, key) in record.attributes.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            JSONString.append(key, to: &text)
            text += ":"
            JSONString.append(record.attributes[key]!, to: &text)
        }
        text += "}"
        if let orderingKey = record.orderingKey {
            text += ",\"orderingKey\":"
            JSONString.append(orderingKey, to: &text)
        }
        if let attempt = record.deliveryAttempt { text += ",\"deliveryAttempt\":\(attempt)" }
        if let json = record.dataJSON { text += ",\"data\":" + json }
        text += ",\"dataBase64\":\"" + Data(record.data).base64EncodedString() + "\"}"
    }
}
