import ContrailKit
import Foundation
import HTTPTypes
import Logging
import RecordStore

/// Serves the stored records over HTTP GET: `/records`, `/records/{messageId}`, `/stats` and `/openapi.json`.
struct QueryFunction: HTTPFunction {
    /// A page ends early, with a `nextCursor`, once its records weigh this much
    /// (``Record/contentSize(payloadBytes:attributeBytes:)``): about 5 MiB of answer, whatever `limit` says. A
    /// single larger record still comes, alone on its page.
    static let maxPageBytes = 4 * 1024 * 1024
    /// `/stats` answers at most this many (bucket, group) counts: well under 1 MiB of JSON for short group values,
    /// about 11 MiB at Pub/Sub's longest attribute values (1 KiB).
    static let maxStatsRows = 10_000
    /// Answers read from the store and encoded at once. Each is at most a page (about 5 MiB of JSON) or one
    /// record (about 24 MiB for Pub/Sub's largest message), so building answers holds at most a few times this
    /// many of those, however many clients ask together.
    static let concurrentAnswers = 4

    let store: any RecordStore
    private let cursors: CursorSigner
    private let gate = AnswerGate(permits: Self.concurrentAnswers)
    private let rendered = RenderedAnswers()

    init(store: any RecordStore) {
        self.store = store
        self.cursors = CursorSigner(store: store)
    }

    func onHTTP(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        EntityTag.conditional(try await self.answer(request, context: context), for: request)
    }

    private func answer(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        let items = try request.queryItems()
        let url = request.head.path ?? request.path
        do {
            switch segments.count {
            case 1 where segments[0] == "records":
                return try await self.gate.withPermit { try await self.list(items, url: url) }
            case 2 where segments[0] == "records":
                return try await self.gate.withPermit {
                    try await self.one(messageID: String(segments[1]), items, url: url)
                }
            case 1 where segments[0] == "stats":
                return try await self.gate.withPermit { try await self.stats(items, url: url) }
            case 1 where segments[0] == "openapi.json":
                return try QueryAPIDocument.response()
            default:
                throw FunctionError(.notFound, "no route \(request.path); see openapi.json for the routes")
            }
        } catch let error as StoreError {
            context.logger.error("store failed", metadata: ["error": "\(error)"])
            throw FunctionError(.unavailable, "the store is unavailable; retry later")
        }
    }

    /// The answer already written for `url` from the same rows, or `write()`'s, tagged and kept.
    private func reusing(
        _ url: String,
        _ rows: RenderedAnswers.Rows,
        write: () async throws -> FunctionResponse
    ) async throws -> FunctionResponse {
        if let kept = self.rendered.response(for: url, rows: rows) { return kept }
        let response = EntityTag.tagged(try await write())
        self.rendered.keep(response, for: url, rows: rows)
        return response
    }

    private func list(_ items: [(name: String, value: String)], url: String) async throws -> FunctionResponse {
        let parameters = try QueryParameters(items, route: .records)
        var after: RecordPosition?
        if let cursor = parameters.cursor { after = try await self.cursors.open(cursor, for: parameters.filter) }
        let page = try await self.store.records(
            matching: parameters.filter,
            after: after,
            budget: PageBudget(limit: parameters.limit, maxBytes: Self.maxPageBytes)
        )
        return try await self.reusing(url, .page(page.records, hasMore: page.hasMore)) {
            var nextCursor: String?
            if page.hasMore, let last = page.records.last {
                nextCursor = try await self.cursors.seal(last.position, for: parameters.filter)
            }
            return RecordJSON.page(page.records, nextCursor: nextCursor)
        }
    }

    private func one(
        messageID: String,
        _ items: [(name: String, value: String)],
        url: String
    ) async throws -> FunctionResponse {
        let parameters = try QueryParameters(items, route: .record)
        guard let id = messageID.removingPercentEncoding, !id.isEmpty else {
            throw FunctionError(.badRequest, "the message id in the path is not valid percent-encoding")
        }
        guard !id.utf8.contains(0) else {
            throw FunctionError(.badRequest, "the message id in the path contains a NUL character (%00)")
        }
        guard let record = try await self.store.record(messageId: id, subscription: parameters.filter.subscription)
        else {
            throw FunctionError(.notFound, "no record with messageId '\(id)'")
        }
        return try await self.reusing(url, .record(record)) { RecordJSON.single(record) }
    }

    private func stats(_ items: [(name: String, value: String)], url: String) async throws -> FunctionResponse {
        let parameters = try QueryParameters(items, route: .stats)
        let rows = try await self.store.stats(
            matching: parameters.filter,
            bucket: parameters.bucket,
            groupBy: parameters.groupBy,
            limit: Self.maxStatsRows + 1
        )
        guard rows.count <= Self.maxStatsRows else {
            throw FunctionError(
                .badRequest,
                "the counts span more than \(Self.maxStatsRows) buckets and groups; narrow 'from' and 'to', "
                    + "choose a wider 'bucket', or group by an attribute with fewer values"
            )
        }
        let grouped = parameters.groupBy != nil
        return try await self.reusing(url, .stats(rows, grouped: grouped)) {
            StatsJSON.response(rows, grouped: grouped)
        }
    }
}
