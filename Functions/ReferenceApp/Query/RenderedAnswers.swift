import ContrailKit
import RecordStore

/// Answers already written, given again when the store returns the same rows for the same URL.
///
/// Every answer is still read from the store, so it is never older than the last commit; what is saved is writing
/// the JSON, sealing the cursor and digesting the `ETag`, which cost more than a read the store itself can reuse.
/// The rows are compared whole, and rows the store hands back from its own reuse share their storage with the
/// ones kept here, which makes the comparison a pointer check.
struct RenderedAnswers: Sendable {
    /// What an answer was written from.
    enum Rows: Equatable, Sendable {
        case page([Record], hasMore: Bool)
        case record(Record)
        case stats([StatsRow], grouped: Bool)
    }

    private let kept: BoundedCache<String, (rows: Rows, response: FunctionResponse)>

    init(byteLimit: Int = 1 << 20) {
        self.kept = BoundedCache(byteLimit: byteLimit)
    }

    /// The answer kept for `url`, if it was written from exactly `rows`.
    func response(for url: String, rows: Rows) -> FunctionResponse? {
        guard let kept = self.kept.value(for: url), kept.rows == rows else { return nil }
        return kept.response
    }

    func keep(_ response: FunctionResponse, for url: String, rows: Rows) {
        self.kept.keep((rows, response), for: url, size: url.utf8.count + response.body.count)
    }
}
