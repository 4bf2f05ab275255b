import ContrailKit
import Foundation
import HTTPTypes
import Logging
import RecordStore

/// Serves the stored records over HTTP GET: `/records`, `/records/{messageId}`, `/stats` and `/openapi.json`.
struct QueryFunction: HTTPFunction {
    let store: any RecordStore
    private let cursors: CursorSigner
    private let cache = ResponseCache()

    init(store: any RecordStore) {
        self.store = store
        self.cursors = CursorSigner(store: store)
    }

    func onHTTP(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        guard request.method == .get || request.method == .head else {
            throw FunctionError(.methodNotAllowed, "the query API accepts GET only, not \(request.method)")
        }
        // Read before the answer is built, so a commit during the build makes the entry stale, never wrong.
        guard let token = try? await self.store.changeToken(), let key = request.head.path else {
            return try await self.answer(request, context: context)
        }
        if let cached = self.cache.response(for: key, token: token) { return cached }
        let response = try await self.answer(request, context: context)
        self.cache.keep(response, for: key, token: token)
        return response
    }

    private func answer(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        let items = try request.queryItems()
        do {
            switch segments.count {
            case 1 where segments[0] == "records":
                return try await self.list(items)
            case 2 where segments[0] == "records":
                return try await self.one(messageID: String(segments[1]), items)
            case 1 where segments[0] == "stats":
                return try await self.stats(items)
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

    private func list(_ items: [(name: String, value: String)]) async throws -> FunctionResponse {
        let parameters = try QueryParameters(items, route: .records)
        var after: RecordPosition?
        if let cursor = parameters.cursor { after = try await self.cursors.open(cursor, for: parameters.filter) }
        let rows = try await self.store.records(matching: parameters.filter, after: after, limit: parameters.limit + 1)
        let page = rows.prefix(parameters.limit)
        var nextCursor: String?
        if rows.count > parameters.limit, let last = page.last {
            nextCursor = try await self.cursors.seal(last.position, for: parameters.filter)
        }
        return RecordJSON.page(Array(page), nextCursor: nextCursor)
    }

    private func one(messageID: String, _ items: [(name: String, value: String)]) async throws -> FunctionResponse {
        let parameters = try QueryParameters(items, route: .record)
        guard let id = messageID.removingPercentEncoding, !id.isEmpty else {
            throw FunctionError(.badRequest, "the message id in the path is not valid percent-encoding")
        }
        guard let record = try await self.store.record(messageId: id, subscription: parameters.filter.subscription) else {
            throw FunctionError(.notFound, "no record with messageId '\(id)'")
        }
        return RecordJSON.single(record)
    }

    private func stats(_ items: [(name: String, value: String)]) async throws -> FunctionResponse {
        let parameters = try QueryParameters(items, route: .stats)
        let rows = try await self.store.stats(
            matching: parameters.filter,
            bucket: parameters.bucket,
            groupBy: parameters.groupBy
        )
        return StatsJSON.response(rows, grouped: parameters.groupBy != nil)
    }
}
