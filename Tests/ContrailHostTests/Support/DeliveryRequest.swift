import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes

/// Builds the requests a push endpoint receives, for feeding ``DeliveryDecoder`` directly.
enum DeliveryRequest {
    static func head(path: String = "/ingest", fields: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: path, headerFields: fields)
    }

    /// Decodes `body` as a JSON push request to `path`.
    static func decode(
        _ body: String,
        path: String = "/ingest",
        fields: HTTPFields = [.contentType: "application/json"],
        decoder: DeliveryDecoder = DeliveryDecoder()
    ) throws(DeliveryError) -> PubSubMessage {
        try decoder.decode(head: self.head(path: path, fields: fields), body: Data(body.utf8))
    }

    /// A header field by name, for the `ce-*` and `x-goog-pubsub-*` headers HTTPTypes has no constant for.
    static func field(_ name: String, _ value: String) -> HTTPField {
        HTTPField(name: HTTPField.Name(name)!, value: value)
    }
}

/// The Google API error body, `{"error":{"code":400,"status":"INVALID_ARGUMENT","message":"..."}}`.
struct GoogleErrorBody: Decodable, Equatable {
    struct Detail: Decodable, Equatable {
        let code: Int
        let status: String
        let message: String
    }

    let error: Detail

    init(_ data: Data) throws {
        self = try JSONDecoder().decode(Self.self, from: data)
    }
}

/// A UTC instant from seconds since 1970, for comparing parsed publish times.
/// The instant `secondsSince1970` names, to the microsecond.
func utc(_ secondsSince1970: Double) -> Timestamp {
    Timestamp(microsecondsSinceEpoch: Int64((secondsSince1970 * 1_000_000).rounded()))
}
