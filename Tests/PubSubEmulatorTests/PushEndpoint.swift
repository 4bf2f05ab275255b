import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PubSubEmulator
import Testing

/// One request the push endpoint received.
struct PushedRequest: Sendable {
    let headers: [String: String]
    let body: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: self.body)) as? [String: Any] ?? [:] }
    var message: [String: Any] { self.json["message"] as? [String: Any] ?? [:] }
}

/// Records pushed requests and answers a programmed sequence of statuses (the last one repeats).
actor PushRecorder {
    private var statuses: [Int]
    private(set) var requests: [PushedRequest] = []

    init(statuses: [Int]) { self.statuses = statuses }

    func record(_ request: PushedRequest) -> Int {
        self.requests.append(request)
        return self.statuses.count > 1 ? self.statuses.removeFirst() : self.statuses.first ?? 204
    }
}

/// Runs a real HTTP push endpoint on 127.0.0.1 with an ephemeral port and hands its URL to `test`.
func withPushEndpoint(
    statuses: [Int],
    _ test: @Sendable @escaping (_ url: String, _ recorder: PushRecorder) async throws -> Void
) async throws {
    let recorder = PushRecorder(statuses: statuses)
    let router = Router()
    router.post("/push") { request, _ -> Response in
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let status = await recorder.record(PushedRequest(headers: headers, body: Data(body.readableBytesView)))
        return Response(status: HTTPResponse.Status(code: status))
    }
    let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await application.test(.live) { client in
        let port = try #require(client.port)
        try await test("http://127.0.0.1:\(port)/push", recorder)
    }
}
