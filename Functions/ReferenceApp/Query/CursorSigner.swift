import ContrailKit
import Crypto
import ExtrasBase64
import Foundation
import RecordStore
import Synchronization

/// Seals a page's end position into an opaque cursor, and opens it again only for the same filter.
///
/// A cursor is `base64url(payload).base64url(HMAC-SHA256(payload))`, keyed by a secret the store keeps, so every
/// instance sharing the store accepts every other's cursors, and an altered cursor is refused.
final class CursorSigner: Sendable {
    private struct Payload: Codable {
        var t: Int64
        var m: String
        var s: String
        /// A digest of the filter the cursor was made for.
        var f: String
    }

    private let store: any RecordStore
    private let key = Mutex<SymmetricKey?>(nil)

    init(store: any RecordStore) {
        self.store = store
    }

    func seal(_ position: RecordPosition, for filter: RecordFilter) async throws -> String {
        let payload = Payload(
            t: position.publishTime.microsecondsSinceEpoch,
            m: position.messageId,
            s: position.subscription,
            f: Self.digest(filter)
        )
        let bytes = try JSONEncoder().encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: try await self.secret())
        return Self.base64URL(bytes) + "." + Self.base64URL(Data(mac))
    }

    func open(_ cursor: String, for filter: RecordFilter) async throws -> RecordPosition {
        let parts = cursor.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let bytes = Self.data(base64URL: parts[0]), let mac = Self.data(base64URL: parts[1]),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: bytes, using: try await self.secret()),
            let payload = try? JSONDecoder().decode(Payload.self, from: bytes)
        else {
            throw FunctionError(.badRequest, "parameter 'cursor' was altered or was not issued by this service")
        }
        guard payload.f == Self.digest(filter) else {
            throw FunctionError(
                .badRequest,
                "parameter 'cursor' belongs to a query with other filters; repeat the original filters with it"
            )
        }
        return RecordPosition(
            publishTime: Timestamp(microsecondsSinceEpoch: payload.t),
            messageId: payload.m,
            subscription: payload.s
        )
    }

    private func secret() async throws -> SymmetricKey {
        if let key = self.key.withLock({ $0 }) { return key }
        let key = SymmetricKey(data: try await self.store.cursorSecret())
        self.key.withLock { $0 = key }
        return key
    }

    /// The filter in a canonical form: attribute order does not change what a query means.
    static func digest(_ filter: RecordFilter) -> String {
        let attributes = filter.attributes.map { "\($0.key)\u{0}\($0.value)" }.sorted()
        let parts =
            [
                filter.from.map { String($0.microsecondsSinceEpoch) } ?? "",
                filter.to.map { String($0.microsecondsSinceEpoch) } ?? "", filter.orderingKey ?? "\u{1}",
                filter.subscription ?? "\u{1}",
            ] + attributes
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\u{2}").utf8))
        return self.base64URL(Array(digest.prefix(12)))
    }

    /// RFC 4648 §5 without padding.
    static func base64URL(_ data: some Collection<UInt8>) -> String {
        Base64.encodeToString(bytes: data, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    /// Only the canonical spelling decodes: base64 ignores the spare low bits of a last character, so without
    /// this check several strings would open as the same cursor.
    static func data(base64URL text: Substring) -> Data? {
        guard
            let bytes = try? Base64.decode(string: String(text), options: [.base64UrlAlphabet, .omitPaddingCharacter]),
            Self.base64URL(bytes) == text
        else { return nil }
        return Data(bytes)
    }
}
