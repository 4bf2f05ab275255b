import Foundation
package import HTTPTypes

/// Refuses requests a web page could make: the service listens on loopback only, but the developer's browser runs
/// there too.
///
/// A page may post a form or a `text/plain` fetch to any address without a CORS preflight, and with DNS rebinding
/// its own host name comes to resolve to 127.0.0.1, so that even reading the answers is same-origin for it. Either
/// would let it redirect every subscription's pushes (with OIDC tokens signed here) to itself. A `Host` that is not
/// loopback defeats rebinding; a foreign `Origin`, or a body that is not declared JSON, defeats the cross-site
/// request. Google's clients send a loopback `Host`, no `Origin` and `application/json`.
package enum RequestGuard {
    private static let hostField = HTTPField.Name("Host")!

    /// Checks who the request is for and where it comes from; needs only the head.
    static func checkSource(_ head: HTTPRequest) throws(PubSubError) {
        try Self.checkHost(head, service: "The local Pub/Sub service")
        for origin in head.headerFields[values: .origin] where !Self.isLoopback(origin: origin) {
            throw .permissionDenied(
                "The local Pub/Sub service does not answer requests from web pages of other origins "
                    + "(Origin \"\(origin)\")."
            )
        }
    }

    /// The request names a loopback host, once: what defeats DNS rebinding, for any loopback service here.
    /// - Parameter service: who refuses, as the error's sentence starts ("The local Pub/Sub service").
    package static func checkHost(_ head: HTTPRequest, service: String) throws(PubSubError) {
        // HTTP/1 moves the first Host header into the authority; any other would be a second, conflicting one.
        guard let host = head.authority, head.headerFields[values: Self.hostField].isEmpty else {
            throw .permissionDenied("\(service) answers only requests with one Host header naming a loopback address.")
        }
        guard LoopbackAddress.isLoopback(authority: host) else {
            throw .permissionDenied(
                "\(service) answers only requests addressed to localhost, 127.0.0.1 or [::1], not Host \"\(host)\"."
            )
        }
    }

    /// A request with a body must declare it as JSON, which no page can send elsewhere without a preflight.
    static func checkBody(contentType: String?, isEmpty: Bool) throws(PubSubError) {
        guard !isEmpty else { return }
        let mediaType = contentType?.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces)
        guard mediaType?.lowercased() == "application/json" else {
            let given = contentType.map { "\"\($0)\"" } ?? "none"
            throw .invalid("A request body must be JSON with Content-Type: application/json (got \(given)).")
        }
    }

    /// `http(s)://` and a loopback authority, nothing after it; `null` (sandboxed and file pages) is foreign.
    private static func isLoopback(origin: String) -> Bool {
        let lowered = origin.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowered.hasPrefix($0) }) else { return false }
        return LoopbackAddress.isLoopback(authority: String(origin.dropFirst(scheme.count)))
    }
}
