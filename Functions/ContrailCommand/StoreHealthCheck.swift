import ContrailHost
import RecordStore

/// `/_/health` answers 503 while the store cannot be reached.
struct StoreHealthCheck: HealthCheck {
    let store: any RecordStore

    func check() async throws {
        do {
            try await self.store.ping()
        } catch {
            throw StoreUnreachable(underlying: "\(error)")
        }
    }
}

struct StoreUnreachable: Error, CustomStringConvertible {
    let underlying: String
    var description: String { "the analytics store is unreachable: \(self.underlying)" }
}
