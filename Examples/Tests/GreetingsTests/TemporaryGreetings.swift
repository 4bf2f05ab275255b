import ContrailKit
import ContrailTesting
import Foundation
import GreetingsFunctions

/// Runs `body` against the Greetings functions on a database file of their own, started and stopped as the host
/// would, and removes the file afterwards, so that tests never see each other's greetings.
func withGreetings<Result>(_ body: (FunctionTestClient) async throws -> Result) async throws -> Result {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greetings-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = GreetingStore(path: folder.appendingPathComponent("greetings.sqlite").path)
    let client = try FunctionTestClient(registry: GreetingsApp.registry(store: store))
    return try await client.withLifecycle { try await body(client) }
}

/// A Pub/Sub message whose payload is `json`.
func message(_ id: String, json: String) -> PubSubMessage {
    PubSubMessage(id: id, data: Data(json.utf8))
}

extension FunctionTestClient {
    /// What `GET /greetings` lists.
    func listedGreetings() async throws -> [StoredGreeting] {
        let response = await self.send(path: "/greetings")
        return try JSONDecoder().decode(GreetingList.self, from: response.body).greetings
    }
}
