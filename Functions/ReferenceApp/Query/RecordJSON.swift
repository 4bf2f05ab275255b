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
            self.appendString(nextCursor, to: &text)
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
        self.appendString(record.messageId, to: &text)
        text += ",\"subscription\":"
        self.appendString(record.subscription, to: &text)
        if let topic = record.topic {
            text += ",\"topic\":"
            self.appendString(topic, to: &text)
        }
        text += ",\"publishTime\":\"" + RFC3339.format(microseconds: record.publishTime) + "\""
        text += ",\"receivedAt\":\"" + RFC3339.format(microseconds: record.receivedAt) + "\""
        text += ",\"attributes\":{"
        for (index, key) in record.attributes.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            self.appendString(key, to: &text)
            text += ":"
            self.appendString(record.attributes[key]!, to: &text)
        }
        text += "}"
        if let orderingKey = record.orderingKey {
            text += ",\"orderingKey\":"
            self.appendString(orderingKey, to: &text)
        }
        if let attempt = record.deliveryAttempt { text += ",\"deliveryAttempt\":\(attempt)" }
        if let json = record.dataJSON { text += ",\"data\":" + json }
        text += ",\"dataBase64\":\"" + Data(record.data).base64EncodedString() + "\"}"
    }

    static func appendString(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
