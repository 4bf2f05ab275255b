import ContrailKit
import ContrailTesting
import Foundation
import Functions
import HTTPTypes
import RecordStoreSQLite

/// The reference app on a fresh SQLite store in a temporary file, driven in-process.
struct ReferenceApp {
    let client: FunctionTestClient
    let directory: URL

    init() async throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("contrail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let store = try SQLiteRecordStore(path: self.directory.appendingPathComponent("store.sqlite").path)
        try await store.migrate()
        self.client = try FunctionTestClient(registry: Functions.registry(store: store))
    }

    func ingest(
        _ message: PubSubMessage,
        subscription: String = "projects/p/subscriptions/ingest"
    ) async -> DeliveryOutcome {
        await self.client.deliver(message, to: "ingest", subscription: subscription)
    }

    /// GETs `/query<path>` and parses the JSON body.
    func get(_ path: String) async throws -> (status: Int, json: [String: Any]) {
        let response = await self.client.send(method: .get, path: "/query" + path)
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        return (response.status.code, json)
    }

    /// The `message` of an error body.
    static func errorMessage(_ json: [String: Any]) -> String? {
        (json["error"] as? [String: Any])?["message"] as? String
    }
}

func message(
    _ id: String,
    data: String = "{\"n\":1}",
    attributes: [String: String] = [:],
    publishTime: Date = Date(timeIntervalSince1970: 1_790_000_000),
    orderingKey: String? = nil
) -> PubSubMessage {
    PubSubMessage(
        id: id,
        data: Data(data.utf8),
        attributes: attributes,
        publishTime: Timestamp(publishTime),
        orderingKey: orderingKey
    )
}

/// Percent-encodes a query value so that every reserved character arrives literally.
func encoded(_ value: String) -> String {
    value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
}
