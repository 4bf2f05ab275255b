import JWTKit

/// A JWKS response body read key by key: a key JWTKit cannot decode (a symmetric `"kty":"oct"` key, a `kty` it
/// does not know, no `kty` at all) is left out instead of failing the whole set, as RFC 7517 §5 asks of key
/// sets, so that one such key beside the RSA keys does not answer every push 503. Whether any usable key is
/// left is ``JWKSCache``'s to judge.
struct JWKSDocument: Decodable {
    let keys: JWKS

    private enum CodingKeys: String, CodingKey {
        case keys
    }

    init(from decoder: any Decoder) throws {
        var entries = try decoder.container(keyedBy: CodingKeys.self).nestedUnkeyedContainer(forKey: .keys)
        var keys: [JWK] = []
        while !entries.isAtEnd {
            if let key = try entries.decode(Entry.self).key { keys.append(key) }
        }
        self.keys = JWKS(keys: keys)
    }

    /// One element of `keys`, consumed whatever it holds so that decoding moves on to the next.
    private struct Entry: Decodable {
        let key: JWK?

        init(from decoder: any Decoder) throws {
            self.key = try? JWK(from: decoder)
        }
    }
}
