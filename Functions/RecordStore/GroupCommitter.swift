/// Commits concurrent inserts together: the records that arrive while one commit is in flight go into the next
/// single transaction, so throughput pays one durable commit per batch instead of one per message.
public actor GroupCommitter {
    private struct Waiter {
        let records: [Record]
        let continuation: CheckedContinuation<[Bool], any Error>
    }

    private let store: any RecordStore
    private let maximumBatch: Int
    private var queue: [Waiter] = []
    private var isCommitting = false

    /// The number of commits made so far and the records they carried, for metrics and tests.
    public private(set) var commits = 0
    public private(set) var committedRecords = 0

    public init(store: any RecordStore, maximumBatch: Int = 500) {
        self.store = store
        self.maximumBatch = maximumBatch
    }

    /// Stores `records` in whichever batch they join; returns once that batch is durable.
    public func insert(_ records: [Record]) async throws -> [Bool] {
        try await withCheckedThrowingContinuation { continuation in
            self.queue.append(Waiter(records: records, continuation: continuation))
            if !self.isCommitting {
                self.isCommitting = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !self.queue.isEmpty {
            var batch: [Waiter] = []
            var count = 0
            while let next = self.queue.first, batch.isEmpty || count + next.records.count <= self.maximumBatch {
                batch.append(self.queue.removeFirst())
                count += next.records.count
            }
            do {
                let stored = try await self.commit(batch.flatMap(\.records))
                var offset = 0
                for waiter in batch {
                    waiter.continuation.resume(returning: Array(stored[offset..<offset + waiter.records.count]))
                    offset += waiter.records.count
                }
            } catch let error as StoreError where error.code == .unavailable || batch.count == 1 {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            } catch {
                // One record the store refuses must not fail the others that happened to share its batch, or
                // they would all be redelivered together, again and again: commit each waiter on its own.
                for waiter in batch {
                    do {
                        waiter.continuation.resume(returning: try await self.commit(waiter.records))
                    } catch {
                        waiter.continuation.resume(throwing: error)
                    }
                }
            }
        }
        self.isCommitting = false
    }

    private func commit(_ records: [Record]) async throws -> [Bool] {
        let stored = try await self.store.insert(records)
        guard stored.count == records.count else {
            throw StoreError(.unexpected, "the store reported \(stored.count) results for \(records.count) records")
        }
        self.commits += 1
        self.committedRecords += records.count
        return stored
    }
}
