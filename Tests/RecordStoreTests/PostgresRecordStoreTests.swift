import Foundation
import RecordStore
import RecordStorePostgres
import Testing

@Suite("The PostgreSQL store's own behaviour")
struct PostgresRecordStoreTests {
    /// Nothing listens on port 1, so connecting fails at once.
    let unreachable = "postgres://app:hunter2xyz@127.0.0.1:1/events"

    @Test("an unreachable server is unavailable, with the address and without the password")
    func unreachable() async throws {
        let store = try PostgresRecordStore(url: unreachable, logger: TestPostgres.logger)
        let error = await #expect(throws: StoreError.self) { try await store.migrate() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("127.0.0.1:1") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("hunter2xyz") == false)
    }

    @Test("while the server is down a query fails within seconds instead of waiting for the pool")
    func pingWhileDown() async throws {
        let store = try PostgresRecordStore(url: unreachable, logger: TestPostgres.logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            let started = ContinuousClock.now
            let error = await #expect(throws: StoreError.self) { try await store.ping() }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("hunter2xyz") == false)
            #expect(error?.message.contains("cannot connect") == true, "\(error?.message ?? "")")
            #expect(ContinuousClock.now - started < .seconds(15))
        }
    }

    @Test(
        "a database that does not exist is unavailable and says so",
        .enabled(if: StoreKind.postgresURL != nil)
    )
    func missingDatabase() async throws {
        var url = try TestPostgres.serverURL()
        url.database = "no_such_database_\(UInt32.random(in: 0...UInt32.max))"
        let store = PostgresRecordStore(url: url, logger: TestPostgres.logger)
        let error = await #expect(throws: StoreError.self) { try await store.migrate() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("does not exist") == true, "\(error?.message ?? "")")
    }

    @Test("a bad statement is unexpected and carries PostgreSQL's message", .enabled(if: StoreKind.postgresURL != nil))
    func unexpected() async throws {
        try await StoreKind.postgres.withStore(migrated: false) { store, _ in
            let error = await #expect(throws: StoreError.self) { try await store.cursorSecret() }
            #expect(error?.code == .unexpected)
            #expect(error?.message.contains("contrail_settings") == true, "\(error?.message ?? "")")
        }
    }

    @Test(
        "200 concurrent single-record inserts through a GroupCommitter all complete, new, in fewer commits",
        .enabled(if: StoreKind.postgresURL != nil)
    )
    func groupCommit() async throws {
        try await StoreKind.postgres.withStore { store, _ in
            let committer = GroupCommitter(store: store)
            let results = try await withThrowingTaskGroup(of: [Bool].self) { group in
                for index in 0..<200 {
                    group.addTask { try await committer.insert([record("m-\(index)", at: baseTime + Int64(index))]) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(results.count == 200)
            #expect(results.allSatisfy { $0 })
            #expect(try await store.records(matching: RecordFilter(), after: nil, limit: 1000).count == 200)
            let commits = await committer.commits
            #expect(commits < 200)
            #expect(await committer.committedRecords == 200)
            let again = try await committer.insert([record("m-7", at: baseTime + 7)])
            #expect(again == [false])
        }
    }
}
