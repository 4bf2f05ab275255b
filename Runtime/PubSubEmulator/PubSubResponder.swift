import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Adapts Hummingbird requests to ``PubSubAPI``: one responder, paths parsed by hand.
struct PubSubResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// Pub/Sub's publish request limit; no other request is larger.
    static let maxRequestBytes = 10_000_000

    let api: PubSubAPI
    /// Its public key set is served where Google serves its own.
    let tokenSigner: PushTokenSigner

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            try RequestGuard.checkSource(request.head)
        } catch {
            return Self.response(error.code, error.json, closing: true)
        }
        if request.method == .get, request.uri.path == PushTokenSigner.jwksPath {
            guard let jwks = try? await self.tokenSigner.publicKeySet() else {
                let error = PubSubError.internalError("The signing key could not be generated.")
                return Self.response(error.code, error.json)
            }
            var response = Self.response(200, jwks)
            // The key changes only when the process restarts; a verifier refetches on an unknown kid anyway.
            response.headers[.cacheControl] = "public, max-age=3600"
            return response
        }
        let body: Data
        do {
            let buffer = try await request.body.collect(upTo: Self.maxRequestBytes)
            body = Data(buffer.readableBytesView)
        } catch {
            let tooLarge = PubSubError.invalid(
                "Request payload size exceeds the limit: \(Self.maxRequestBytes) bytes."
            )
            return Self.response(tooLarge.code, tooLarge.json, closing: true)
        }
        do {
            try RequestGuard.checkBody(contentType: request.headers[.contentType], isEmpty: body.isEmpty)
        } catch {
            return Self.response(error.code, error.json)
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let (status, json) = await self.api.handle(
            method: request.method,
            path: request.uri.path,
            query: query,
            body: body
        )
        return Self.response(status, json)
    }

    private static func response(_ status: Int, _ json: Data, closing: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=UTF-8"]
        if closing { headers[.connection] = "close" }
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json))
        )
    }
}
