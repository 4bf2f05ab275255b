import ContrailHost
import ContrailKit
import Testing

@testable import ContrailConsole

@Suite("The invocation journal")
struct InvocationJournalTests {
    static let start: Int64 = 1_800_000_000

    static func invocation(second: Int64, status: Int = 204, milliseconds: Int64 = 5) -> FinishedInvocation {
        FinishedInvocation(
            function: "ingest",
            kind: .message,
            method: "POST",
            path: "/ingest",
            status: status,
            duration: .milliseconds(milliseconds),
            started: Timestamp(microsecondsSinceEpoch: second * 1_000_000)
        )
    }

    @Test("Keeps the latest 10,000 of 100,000 invocations, pages through them newest first, and counts them all")
    func boundedAndPaged() {
        let journal = InvocationJournal()
        for index in 0..<100_000 {
            journal.invocationFinished(
                Self.invocation(second: Self.start + Int64(index / 1000), status: index % 10 == 0 ? 500 : 204)
            )
        }
        #expect(journal.latestID == 100_000)
        let first = journal.entries(limit: 50)
        #expect(first.map(\.id) == Array((99_951...100_000).reversed()))
        let second = journal.entries(before: first.last!.id, limit: 50)
        #expect(second.first?.id == 99_950)
        #expect(journal.entries(after: 99_990, limit: 50).map(\.id) == Array((99_991...100_000).reversed()))
        #expect(journal.entries(before: 90_002, limit: 50).map(\.id) == [90_001])
        #expect(journal.entry(id: 90_001)?.id == 90_001)
        #expect(journal.entry(id: 100_000)?.id == 100_000)
        #expect(journal.entry(id: 90_000) == nil)
        #expect(journal.entry(id: 100_001) == nil)
        #expect(journal.totals(of: "ingest").count == 100_000)
        #expect(journal.totals(of: "ingest").errors == 10_000)
    }

    @Test("Before the ring is full, lists and lookups see every invocation")
    func smallJournal() {
        let journal = InvocationJournal(capacity: 4)
        for second in 0..<3 { journal.invocationFinished(Self.invocation(second: Self.start + Int64(second))) }
        #expect(journal.entries(limit: 10).map(\.id) == [3, 2, 1])
        #expect(journal.entry(id: 1)?.id == 1)
        for second in 3..<6 { journal.invocationFinished(Self.invocation(second: Self.start + Int64(second))) }
        #expect(journal.entries(limit: 10).map(\.id) == [6, 5, 4, 3])
        #expect(journal.entry(id: 2) == nil)
        #expect(journal.entry(id: 3)?.id == 3)
    }

    @Test("Log lines beyond the byte budget are let go oldest first, while the invocations themselves stay listed")
    func logLinesWithinBudget() {
        let journal = InvocationJournal(capacity: 100, logLineBudget: 10_000)
        let line = String(repeating: "x", count: 1000)
        for second in 0..<30 {
            var invocation = Self.invocation(second: Self.start + Int64(second))
            invocation.logLines = [line, line]
            journal.invocationFinished(invocation)
        }
        #expect(journal.entries(limit: 100).count == 30)
        #expect(journal.entry(id: 30)?.invocation.logLines == [line, line])
        #expect(journal.entry(id: 26)?.invocation.logLines == [line, line])
        #expect(journal.entry(id: 25)?.invocation.logLines == [InvocationJournal.droppedLines])
        #expect(journal.entry(id: 1)?.invocation.logLines == [InvocationJournal.droppedLines])
        #expect((1...30).compactMap { journal.entry(id: $0) }.reduce(0) { $0 + $1.logBytes } == 10_000)
    }

    @Test(
        "Charts count each second's invocations and 5xx, read percentiles within a quarter, and forget seconds past the window"
    )
    func secondsAndPercentiles() throws {
        let journal = InvocationJournal()
        for milliseconds in 1...100 {
            journal.invocationFinished(Self.invocation(second: Self.start, milliseconds: Int64(milliseconds)))
        }
        journal.invocationFinished(Self.invocation(second: Self.start + 1, status: 503))
        let seconds = journal.seconds(of: "ingest", now: Self.start + 1)
        #expect(seconds.map(\.count) == [100, 1])
        #expect(seconds.map(\.errors) == [0, 1])
        let p50 = try #require(seconds[0].latencies.percentileMilliseconds(0.5))
        let p99 = try #require(seconds[0].latencies.percentileMilliseconds(0.99))
        #expect(p50 >= 50 && p50 <= 50 * 1.25)
        #expect(p99 >= 99 && p99 <= 99 * 1.25)
        #expect(journal.seconds(of: "ingest", now: Self.start + Int64(InvocationJournal.window)).map(\.count) == [1])
        journal.invocationFinished(Self.invocation(second: Self.start + Int64(InvocationJournal.window) + 5))
        #expect(journal.seconds(of: "ingest", now: Self.start + Int64(InvocationJournal.window) + 5).count == 1)
    }
}
