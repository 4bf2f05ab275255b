import ContrailKit
import RecordStore
import Synchronization

/// Answers already written, given again when the store returns the same rows for the same URL.
///
/// Every answer is still read from the store, so it is never older than the last commit; what is saved is writing
/// the JSON, sealing the cursor and digesting the `ETag`, which cost more than a read the store itself can reuse.
/// The rows are compared whole, and rows the store hands back from its own reuse share their storage with the
/// ones kept here, which makes the comparison a pointer check.
final class RenderedAnswers: Sendable {
    /// What an answer was written from.
    enum Rows: Equatable, Sendable {
        case page([Record], hasMore: Bool)
        case record(Record)
        case stats([StatsRow], grouped: Bool)
    }

    private struct Entry {
        let rows: Rows
        let response: FunctionResponse
        let size: Int
    }

    private struct Contents {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    /// An entry's bookkeeping beyond its key and body, so that many small answers are bounded too.
    private static let entryOverhead = 512
    /// Bounds the memory: when a new answer would pass it, every entry goes, which costs one write per URL.
    private let byteLimit: Int
    private let contents = Mutex(Contents())

    init(byteLimit: Int = 1 << 20) {
        self.byteLimit = byteLimit
    }

    /// The answer kept for `url`, if it was written from exactly `rows`.
    func response(for url: String, rows: Rows) -> FunctionResponse? {
        self.contents.withLock { contents in
            guard let entry = contents.entries[url], entry.rows == rows else { return nil }
            return entry.response
        }
    }

    /// Keeps `response`, written from `rows`, for `url`; an answer over a sixteenth of the limit is not kept.
    func keep(_ response: FunctionResponse, for url: String, rows: Rows) {
        let size = url.utf8.count + response.body.count + Self.entryOverhead
        guard size <= self.byteLimit / 16 else { return }
        self.contents.withLock { contents in
            if let old = contents.entries[url] { contents.bytes -= old.size }
            if contents.bytes + size > self.byteLimit { contents = Contents() }
            contents.entries[url] = Entry(rows: rows, response: response, size: size)
            contents.bytes += size
        }
    }
}
