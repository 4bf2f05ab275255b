import AsyncHTTPClient
import JWTKit
import NIOCore
import NIOHTTP1

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Fetches a JWKS document with `GET`, never following a redirect.
///
/// The keys decide who may push, so they come from `PUSH_JWKS_URL` itself: a redirect, which could lead to any
/// origin, is a failed fetch that names where it pointed, so that the operator can set the URL to it if it is
/// trusted. AsyncHTTPClient's shared client follows redirects, hence a client of its own.
public struct HTTPJWKSSource: JWKSSource {
    /// Google's key set is about 2 KiB; anything near this size is not a key set.
    static let maximumBodySize = 1 << 20

    public let url: URL
    private let timeout: TimeAmount

    public init(url: URL, timeout: Duration = .seconds(5)) {
        self.url = url
        self.timeout = TimeAmount(timeout)
    }

    /// Lives as long as the process, as AsyncHTTPClient's shared client does, so it is never shut down.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public func fetchKeys() async throws -> JWKSResponse {
        var request = HTTPClientRequest(url: self.url.absoluteString)
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await Self.client.execute(request, timeout: self.timeout)
            body = try await response.body.collect(upTo: Self.maximumBodySize)
        } catch {
            throw JWKSFetchError(description: "GET \(self.url.absoluteString) failed: \(error)")
        }
        if response.status.code / 100 == 3 {
            // Shown in the 503 answer: kept short, as the header is the key server's to fill.
            let location = response.headers.first(name: "location").map { String($0.prefix(200)) } ?? "nowhere"
            throw JWKSFetchError(
                description: "GET \(self.url.absoluteString) answered \(response.status.code) with a redirect to "
                    + "\(location), which is not followed: set PUSH_JWKS_URL to the key set's own URL"
            )
        }
        guard response.status == .ok else {
            throw JWKSFetchError(description: "GET \(self.url.absoluteString) answered \(response.status.code)")
        }
        let keys: JWKS
        do {
            keys = try JSONDecoder().decode(JWKSDocument.self, from: Data(body.readableBytesView)).keys
        } catch {
            throw JWKSFetchError(description: "\(self.url.absoluteString) did not answer with a JSON Web Key Set")
        }
        return JWKSResponse(
            keys: keys,
            maxAge: Self.maxAge(cacheControl: response.headers[canonicalForm: "cache-control"])
        )
    }

    /// The `max-age` directive of `Cache-Control`, the only one that bears on a key set.
    ///
    /// Written out because the only parser at hand, swift-http-structured-headers, rejects legal `Cache-Control`
    /// values such as `private="a, b"` whole.
    static func maxAge(cacheControl values: [Substring]) -> Duration? {
        for directive in values.flatMap({ $0.split(separator: ",") }) {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.filter { !" \t\"".contains($0) } }
            guard parts.count == 2, parts[0].lowercased() == "max-age" else { continue }
            if let seconds = Int(parts[1]), seconds >= 0 { return .seconds(seconds) }
        }
        return nil
    }
}
