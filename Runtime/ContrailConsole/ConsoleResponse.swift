import Foundation
import Hummingbird
import PubSubEmulator

/// The few shapes of answer the console gives.
enum ConsoleResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ body: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Self.json(try Self.encoder.encode(value), status: status)
    }

    static func error(_ error: PubSubError) -> Response {
        Self.json(error.json, status: HTTPResponse.Status(code: error.code))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                // Nothing but the console's own script and styles runs on its pages, and no other page may frame them.
                .contentSecurityPolicy:
                    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
                .xContentTypeOptions: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    static func asset(_ text: String, contentType: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: contentType, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// After a form's action: back to the page, with what happened.
    static func seeOther(_ path: String, notice: String) -> Response {
        var components = URLComponents()
        components.path = path
        components.queryItems = [URLQueryItem(name: "notice", value: notice)]
        return Response(status: .seeOther, headers: [.location: components.string ?? path])
    }
}
