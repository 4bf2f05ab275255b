import ContrailKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Base64 payloads and timestamps, shared by every envelope form.
enum FieldDecoding {
    static func base64(_ text: String?, field: String) throws(DeliveryError) -> Data {
        guard let text, !text.isEmpty else { return Data() }
        guard let data = Data(base64Encoded: text) else { throw .invalidBase64(field: field) }
        return data
    }

    static func timestamp(_ text: String?, field: String) throws(DeliveryError) -> Timestamp? {
        guard let text, !text.isEmpty else { return nil }
        guard let timestamp = Timestamp(rfc3339: text) else { throw .invalidTimestamp(field: field, value: text) }
        return timestamp
    }
}
