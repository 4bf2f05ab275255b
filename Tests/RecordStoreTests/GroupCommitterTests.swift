import RecordStore
import Testing

@Suite("GroupCommitter isolates failures")
struct GroupCommitterTests {
    /// Stores in memory, refuses any batch holding a record whose id starts with "poison", and can be taken down.
    actor FaultyStore: RecordStore {
        var rows: Set<String> = []
        var batches: [[String]] = []
        var isDown = false

        func setDown(_ down: Bool) { self.isDown = down }

        func insert(_ records: [Record]) async throws -> [Bool] {
            self.batches.append(records.map(\.messageId))
            // Yield so that concurrent callers queue up behind this commit, as they do behind a real one.
            await Task.yield()
            if self.isDown { throw StoreError(.unavailable, "down") }
            if records.contains(where: { $0.messageId.hasPrefix("poison") }) {
                throw StoreError(.unexpected, "refused a poison record")
            }
            return records.map { self.rows.insert($0.messageId).inserted }
        }

        func migrate() async throws {}
        func records(
            matching filter: RecordFilter,
            after position: RecordPosition?,
            budget: PageBudget
        ) async throws
            -> RecordPage
        { RecordPage(records: [], hasMore: false) }
        func record(messageId: String, subscription: String?) async throws -> Record? { nil }
        func stats(
            matching filter: RecordFilter,
            bucket: StatsBucket,
            groupBy: String?,
            limit: Int
        ) async throws
            -> [StatsRow]
        { [] }
        func cursorSecret() async throws -> [UInt8] { [] }
        func ping() async throws {}
    }

    static func record(_ id: String) -> Record {
        Record(messageId: id, subscription: "s", publishTime: 1, receivedAt: 1)
    }

    @Test("a record the store refuses fails alone; the records batched with it are stored")
    func poisonRecordFailsAlone() async throws {
        let store = FaultyStore()
        let committer = GroupCommitter(store: store)
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for id in ["a", "b", "poison-1", "c", "d", "e"] {
                group.addTask {
                    do {
                        _ = try await committer.insert([Self.record(id)])
                        return (id, true)
                    } catch {
                        return (id, false)
                    }
                }
            }
            return await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes == ["a": true, "b": true, "poison-1": false, "c": true, "d": true, "e": true])
        #expect(await store.rows == ["a", "b", "c", "d", "e"])
        #expect(await store.batches.contains { $0.count > 1 }, "some records shared a batch")
    }

    @Test("when the store is unavailable every waiter fails at once, without a retry per record")
    func unavailableStoreFailsTheBatch() async throws {
        let store = FaultyStore()
        await store.setDown(true)
        let committer = GroupCommitter(store: store)
        let failures = await withTaskGroup(of: Bool.self) { group in
            for id in ["a", "b", "c", "d"] {
                group.addTask { (try? await committer.insert([Self.record(id)])) == nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 4)
        #expect(await store.batches.count < 4 + 1, "no per-record retries against a store that is down")
        #expect(await store.rows.isEmpty)
    }
}
