import ContrailKit
import ExtrasBase64
import Foundation
import PubSubProtocol

/// The operations of `google.pubsub.v1` over a store, on its own message types: the REST responder and the gRPC
/// services both call these, so a resource is one value whichever API made it, and a refusal is the same.
struct PubSubAPI: Sendable {
    static let defaultPageSize = 100
    static let maxPageSize = 1000

    let store: PubSubStore
    let clock: WallClock
    let configuration: LocalPubSub.Configuration

    /// A list request's `page_size` (0 for the default of 100, at most 1000) and its opaque `page_token` (the
    /// last name returned).
    static func page(size: Int32, token: String) throws(PubSubError) -> (size: Int, after: String?) {
        guard size >= 0 else { throw .invalid("Invalid value for pageSize: \(size).") }
        let after =
            token.isEmpty
            ? nil
            : (try? Base64.decode(string: token, options: Self.pageTokenAlphabet))
                .map { String(decoding: $0, as: UTF8.self) }
        return (size == 0 ? Self.defaultPageSize : min(Int(size), Self.maxPageSize), after)
    }

    /// URL-safe base64 of the last name returned, so the token survives a query string unescaped.
    static func pageToken(after name: String) -> String {
        Base64.encodeToString(bytes: Array(name.utf8), options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    private static let pageTokenAlphabet: Base64.DecodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]

    /// The first `size` of `items`, fetched one past the page, and the token of the next page when there is one.
    static func page<Item>(of items: [Item], size: Int, name: (Item) -> String) -> (items: [Item], nextToken: String) {
        let shown = Array(items.prefix(size))
        guard items.count > size, let last = shown.last else { return (shown, "") }
        return (shown, Self.pageToken(after: name(last)))
    }
}
