import Foundation

/// Whether a payload is a JSON document worth keeping as JSON.
enum JSONText {
    /// Accepts any JSON value and keeps nothing: decoding it is the validation.
    private struct AnyJSON: Decodable {
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { return }
            if (try? container.decode(Bool.self)) != nil { return }
            if (try? container.decode(Double.self)) != nil { return }
            if (try? container.decode(String.self)) != nil { return }
            if (try? container.decode([AnyJSON].self)) != nil { return }
            _ = try container.decode([String: AnyJSON].self)
        }
    }

    private static let leadingBytes: Set<UInt8> = Set("{[\"-tfn0123456789".utf8)

    /// The payload as text when it is valid UTF-8 JSON, else `nil`.
    static func validated(_ bytes: [UInt8]) -> String? {
        // Most binary payloads fail on their first byte, before any decoding.
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }),
            self.leadingBytes.contains(first),
            let text = String(validating: bytes, as: UTF8.self),
            Self.decodes(Data(bytes), startingWith: first)
        else { return nil }
        return text
    }

    /// The first byte tells an object or an array, the usual payloads, so the top level skips `AnyJSON`'s guesses,
    /// each of which costs a thrown error.
    private static func decodes(_ data: Data, startingWith first: UInt8) -> Bool {
        let decoder = JSONDecoder()
        switch first {
        case UInt8(ascii: "{"): return (try? decoder.decode([String: AnyJSON].self, from: data)) != nil
        case UInt8(ascii: "["): return (try? decoder.decode([AnyJSON].self, from: data)) != nil
        default: return (try? decoder.decode(AnyJSON.self, from: data)) != nil
        }
    }
}
