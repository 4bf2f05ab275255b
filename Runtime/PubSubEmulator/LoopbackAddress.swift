/// Recognises the names and addresses of this machine's loopback interface, as they appear in a `Host` header, an
/// `Origin` or a URL: `localhost`, 127.0.0.0/8 and `::1`.
///
/// Deliberately narrow: a name that only resolves to loopback (`127.0.0.1.nip.io`, or an attacker's domain after DNS
/// rebinding) and the numeric spellings resolvers accept beyond dotted quads (`0x7f.1`, `0177.0.0.1`) are not
/// loopback here, since what they reach is decided elsewhere.
package enum LoopbackAddress {
    /// A bare host as `URL.host` gives it: `localhost`, `127.x.y.z` or `::1` (brackets allowed).
    package static func isLoopback(host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" || Self.isIPv4Loopback(host)
    }

    /// A `Host` header or the authority of an `Origin`: a loopback host, with or without a port.
    package static func isLoopback(authority: String) -> Bool {
        let host: Substring
        let port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return false }
            host = authority[...close]
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return false }
            port = rest.isEmpty ? nil : rest.dropFirst()
        } else {
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            port = parts.count == 2 ? parts[1] : nil
        }
        if let port {
            guard (1...5).contains(port.count), port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
                number <= 65_535
            else { return false }
        }
        return Self.isLoopback(host: String(host))
    }

    /// Four decimal octets without leading zeros, the first 127.
    private static func isIPv4Loopback(_ host: String) -> Bool {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            guard (1...3).contains(octet.count), octet.allSatisfy({ $0.isASCII && $0.isNumber }),
                octet.count == 1 || octet.first != "0", let value = Int(octet)
            else { return false }
            return value <= 255
        }
    }
}
