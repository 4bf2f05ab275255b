import ContrailKit
import HTTPTypes
import Synchronization

/// Answers to repeated GETs, kept while the store's change token says they are still exact.
///
/// Dashboards and clients poll the same few URLs (`/records?limit=10`, `/stats`), and a store read plus the JSON
/// and cursor signature behind one answer cost several times what the HTTP exchange does. An entry is only served
/// while the store reports the same change token it reported before the entry was read, so an answer is never
/// older than the last commit: a record acknowledged by `ingest` is in every answer that follows, whichever
/// process committed it. Stores that cannot tell (``RecordStore/changeToken()`` is `nil`) are never cached.
final class ResponseCache: Sendable {
    private struct Entry {
        let token: UInt64
        let response: FunctionResponse
    }

    private struct Contents {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    /// Bounds the memory: when a new answer would pass it, every entry goes, which costs one miss per URL.
    private let byteLimit: Int
    private let contents = Mutex(Contents())

    init(byteLimit: Int = 4 << 20) {
        self.byteLimit = byteLimit
    }

    func response(for key: String, token: UInt64) -> FunctionResponse? {
        self.contents.withLock { contents in
            guard let entry = contents.entries[key], entry.token == token else { return nil }
            return entry.response
        }
    }

    /// Keeps `response` for `key`, read while the store reported `token`. Only successful answers are kept.
    func keep(_ response: FunctionResponse, for key: String, token: UInt64) {
        guard response.status == .ok else { return }
        let size = key.utf8.count + response.body.count
        guard size <= self.byteLimit / 16 else { return }
        self.contents.withLock { contents in
            if let old = contents.entries[key] { contents.bytes -= key.utf8.count + old.response.body.count }
            if contents.bytes + size > self.byteLimit { contents = Contents() }
            contents.entries[key] = Entry(token: token, response: response)
            contents.bytes += size
        }
    }
}
