import ContrailKit
import Foundation

/// Whether a payload is a JSON document worth keeping as JSON.
enum JSONText {
    private static let leadingBytes: Set<UInt8> = Set("{[\"-tfn0123456789".utf8)

    /// The payload as text when it is valid UTF-8 JSON, else `nil`.
    static func validated(_ bytes: [UInt8]) -> String? {
        // Most binary payloads fail on their first byte, before any decoding.
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }),
            self.leadingBytes.contains(first),
            let text = String(validating: bytes, as: UTF8.self),
            (try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))) != nil
        else { return nil }
        return text
    }
}
