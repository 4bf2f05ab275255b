import Foundation
import RecordStore
import RecordStoreSQLite
import Testing

import class GRDB.DatabaseQueue

/// What only the embedded store promises: its attribute column, reads that reuse results, and its URL options.
@Suite("The SQLite store")
struct SQLiteStoreTests {
    @Test("attributes that need escaping read back exactly")
    func escapedAttributes() async throws {
        let attributes = [
            "quote\"d": "a \"quoted\" value",
            "back\\slash": "C:\\path\\",
            "slash/key": "a/b",
            "controls": "line\nbreak\ttab\r\u{01}\u{1F}",
            "unicode ✓": "é 😀 \u{2028}",
            "": "empty key",
            "json-looking": #"{"k":"v"}"#,
        ]
        try await StoreKind.sqlite.withStore { store, _ async throws in
            let stored = record("escaped", attributes: attributes)
            #expect(try await store.insert([stored]) == [true])
            #expect(try await store.record(messageId: "escaped", subscription: nil)?.attributes == attributes)
            let filter = RecordFilter(attributes: [.init(key: "quote\"d", value: "a \"quoted\" value")])
            #expect(try await store.records(matching: filter, after: nil, limit: 10).map(\.messageId) == ["escaped"])
        }
    }

    @Test("attributes written by an earlier release, with Foundation's escapes, still read back")
    func earlierEncoding() async throws {
        let attributes = ["path": "a/b/c", "k": "v", "quote": "\"", "tab": "\t"]
        try await StoreKind.sqlite.withStore { store, database async throws in
            try await database.insertAsVersion1([record("old", attributes: attributes)])
            #expect(try await store.record(messageId: "old", subscription: nil)?.attributes == attributes)
        }
    }

    @Test("a repeated read includes every commit since the last, from this store or another on the same file")
    func repeatedReadsSeeEveryCommit() async throws {
        try await StoreKind.sqlite.withStore { store, database async throws in
            let listing = { try await store.records(matching: RecordFilter(), after: nil, limit: 10).map(\.messageId) }
            #expect(try await listing() == [])
            #expect(try await listing() == [], "a read is not a change")
            #expect(try await store.record(messageId: "mine", subscription: nil) == nil)

            _ = try await store.insert([record("mine", at: baseTime)])
            #expect(try await listing() == ["mine"])
            #expect(try await store.record(messageId: "mine", subscription: nil)?.messageId == "mine")

            // Another store on the same file has connections of its own, as another process would.
            try await database.withStore { other in
                _ = try await other.insert([record("theirs", at: baseTime + 1)])
            }
            #expect(try await listing() == ["theirs", "mine"])
            #expect(try await store.record(messageId: "theirs", subscription: nil)?.messageId == "theirs")
        }
    }

    @Test("a record committed by a separate process, with its own SQLite library, is in the next repeated read")
    func repeatedReadsSeeOtherProcesses() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reuse-\(UUID().uuidString).sqlite")
            .path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteRecordStore(path: path)
        try await store.migrate()
        let listing = { try await store.records(matching: RecordFilter(), after: nil, limit: 10).map(\.messageId) }
        #expect(try await listing() == [])
        #expect(try await store.record(messageId: "foreign", subscription: nil) == nil)

        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("INSERT INTO records (subscription, message_id, publish_time, received_at, attributes, data) "
                      "VALUES ('projects/p/subscriptions/s', 'foreign', 1, 1, '{}', x'00')")
            c.commit()
            """,
            path,
        ]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)

        #expect(try await listing() == ["foreign"])
        #expect(try await store.record(messageId: "foreign", subscription: nil)?.messageId == "foreign")
    }

    @Test("a file damaged in the middle: once a call meets the damage, ping says the file is corrupted, for good")
    func corruptedFileFailsPing() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("corrupt-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let records = (0..<2_000).map { index in
            record("m-\(index)", at: baseTime + Int64(index), data: Array(repeating: UInt8(index % 251), count: 500))
        }
        do {
            let store = try SQLiteRecordStore(path: path)
            try await store.migrate()
            _ = try await store.insert(records)
        }
        // Every page moved into the file itself by a checkpoint, then garbage over its second half: the schema, the
        // migrations and the first pages of each table stay readable, as after a bad sector deep in the file.
        try await DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try file.seekToEnd()
        try file.seek(toOffset: size / 2)
        try file.write(contentsOf: Data((0..<Int(size - size / 2)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }))
        try file.close()

        let store = try SQLiteRecordStore(path: path)
        try await store.migrate()
        try await store.ping()

        await #expect(throws: StoreError.self) { _ = try await store.insert(Array(records.suffix(50))) }
        for _ in 0..<2 {
            let error = try await #require(throws: StoreError.self) { try await store.ping() }
            #expect(error.message.contains("the SQLite file at \(path) is corrupted"))
        }
        // Nothing more is written to a damaged file, not even a record far from the damage.
        let refused = try await #require(throws: StoreError.self) { _ = try await store.insert([record("new")]) }
        #expect(refused.message.contains("is corrupted"))
    }

    @Test("a store in memory reads its own writes")
    func memoryStoreReadsItsWrites() async throws {
        let store = try SQLiteRecordStore(path: ":memory:")
        try await store.migrate()
        #expect(try await store.records(matching: RecordFilter(), after: nil, limit: 10).isEmpty)
        _ = try await store.insert([record("m")])
        #expect(try await store.records(matching: RecordFilter(), after: nil, limit: 10).map(\.messageId) == ["m"])
    }

    @Test("DATABASE_URL names the durability of an embedded store's commits, FULL unless it says NORMAL")
    func synchronousOption() throws {
        #expect(try DatabaseURL("sqlite:a.sqlite") == .sqlite(path: "a.sqlite", synchronous: .full))
        #expect(
            try DatabaseURL("sqlite:///tmp/a.sqlite?synchronous=normal")
                == .sqlite(path: "/tmp/a.sqlite", synchronous: .normal)
        )
        #expect(try DatabaseURL("sqlite:a.sqlite?synchronous=FULL") == .sqlite(path: "a.sqlite", synchronous: .full))
        let error = try #require(throws: StoreError.self) { try DatabaseURL("sqlite:a.sqlite?synchronous=off") }
        #expect(error.message.contains("?synchronous=normal"))
        #expect(throws: StoreError.self) { try DatabaseURL("sqlite:?synchronous=normal") }
    }
}
