import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Runs two servers on 127.0.0.1, each on its own port (so a redirect between them changes origin): `target`
/// answers 204 to any request at `/push`, and `/push` on the other answers `status` with a `Location` pointing at
/// the target. `test` gets the redirecting URL and what each server received.
func withRedirectingEndpoint(
    status: Int,
    _ test: @Sendable @escaping (_ url: String, _ redirector: PushRecorder, _ target: PushRecorder) async throws -> Void
) async throws {
    let target = PushRecorder(statuses: [204])
    try await withRecordingServer(target) { targetURL in
        let redirector = PushRecorder(statuses: [status])
        try await withRecordingServer(redirector, location: targetURL) { url in
            try await test(url, redirector, target)
        }
    }
}

/// A server whose `/push` records every request, whatever its method, and answers the recorder's next status.
private func withRecordingServer(
    _ recorder: PushRecorder,
    location: String? = nil,
    _ body: @Sendable @escaping (_ url: String) async throws -> Void
) async throws {
    let router = Router()
    let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
        let bytes = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = ["method": request.method.rawValue]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let code = await recorder.record(PushedRequest(headers: headers, body: Data(bytes.readableBytesView)))
        var response = Response(status: HTTPResponse.Status(code: code))
        if let location { response.headers[.location] = location }
        return response
    }
    for method in [HTTPRequest.Method.get, .post, .put, .head] { router.on("/push", method: method, use: handler) }
    let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await application.test(.live) { client in
        let port = try #require(client.port)
        try await body("http://127.0.0.1:\(port)/push")
    }
}
