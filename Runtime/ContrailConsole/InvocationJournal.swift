public import ContrailHost
import ContrailKit
import Synchronization

/// What `contrail dev` remembers of its invocations: the latest ``capacity`` for the lists, with the log lines of
/// the latest of them up to ``logLineBudget`` bytes in all, and per function and second, over the last ``window``
/// seconds, counts and latencies for the charts. All of it is bounded, so a day of traffic holds what a minute does.
public final class InvocationJournal: InvocationObserver {
    public static let capacity = 10_000
    public static let window = 300
    public static let logLineBudget = 16 << 20
    /// Shown in place of lines let go to stay within ``logLineBudget``.
    static let droppedLines = "(log lines let go: the console keeps the latest 16 MiB of them)"

    /// One kept invocation with the number it is listed and linked by (1, 2, …, never reused).
    struct Entry: Sendable {
        let id: Int
        var invocation: FinishedInvocation
        /// The bytes of its log lines, while it has them; 0 once they are let go.
        var logBytes: Int

        init(id: Int, invocation: FinishedInvocation) {
            self.id = id
            self.invocation = invocation
            self.logBytes = invocation.logLines.reduce(0) { $0 + $1.utf8.count }
        }
    }

    /// One second of one function.
    struct Second: Sendable {
        var second: Int64
        var count = 0
        var errors = 0
        var latencies = LatencyHistogram()
    }

    struct Totals: Sendable {
        var count = 0
        var errors = 0
    }

    private struct State {
        var ring: [Entry] = []
        /// Where the next entry goes once the ring is full.
        var next = 0
        var lastID = 0
        var seconds: [String: [Second]] = [:]
        var totals: [String: Totals] = [:]
        /// The bytes of log lines kept, and the oldest id that may still have some.
        var logBytes = 0
        var oldestWithLines = 1
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let logLineBudget: Int

    public init() {
        self.capacity = Self.capacity
        self.logLineBudget = Self.logLineBudget
    }

    init(capacity: Int, logLineBudget: Int = InvocationJournal.logLineBudget) {
        self.capacity = capacity
        self.logLineBudget = logLineBudget
    }

    public func invocationFinished(_ invocation: FinishedInvocation) {
        let second = invocation.started.microsecondsSinceEpoch / 1_000_000
        let failed = invocation.status >= 500
        self.state.withLock { state in
            state.lastID += 1
            let entry = Entry(id: state.lastID, invocation: invocation)
            state.logBytes += entry.logBytes
            if state.ring.count < self.capacity {
                state.ring.append(entry)
            } else {
                state.logBytes -= state.ring[state.next].logBytes
                state.ring[state.next] = entry
                state.next = (state.next + 1) % self.capacity
            }
            // Oldest lines go first; the entries themselves stay.
            state.oldestWithLines = max(state.oldestWithLines, state.ring[state.next].id)
            while state.logBytes > self.logLineBudget, state.oldestWithLines < entry.id {
                let index = Self.index(of: state.oldestWithLines, in: state)
                if state.ring[index].logBytes > 0 {
                    state.logBytes -= state.ring[index].logBytes
                    state.ring[index].logBytes = 0
                    state.ring[index].invocation.logLines = [Self.droppedLines]
                }
                state.oldestWithLines += 1
            }
            state.totals[invocation.function, default: Totals()].count += 1
            if failed { state.totals[invocation.function, default: Totals()].errors += 1 }
            var seconds = state.seconds[invocation.function] ?? []
            if seconds.last?.second != second {
                seconds.append(Second(second: second))
                let oldest = second - Int64(Self.window)
                if let keep = seconds.firstIndex(where: { $0.second > oldest }), keep > 0 {
                    seconds.removeFirst(keep)
                }
            }
            // Entries arrive in completion order; one that started in an earlier second joins the latest.
            seconds[seconds.count - 1].count += 1
            if failed { seconds[seconds.count - 1].errors += 1 }
            seconds[seconds.count - 1].latencies.record(invocation.duration)
            state.seconds[invocation.function] = seconds
        }
    }

    /// The id of the latest invocation, 0 before the first.
    var latestID: Int { self.state.withLock(\.lastID) }

    /// Kept invocations, newest first: those with ids below `before` (or above `after`), of `function` if given.
    func entries(before: Int? = nil, after: Int? = nil, function: String? = nil, limit: Int) -> [Entry] {
        self.state.withLock { state in
            var found: [Entry] = []
            let count = state.ring.count
            // Newest first: until the ring is full `next` stays 0, and the latest is the last slot; after, the
            // slot before `next` holds it.
            for offset in 0..<count {
                let entry = state.ring[(state.next - 1 - offset + 2 * count) % count]
                if let before, entry.id >= before { continue }
                if let after, entry.id <= after { break }
                if let function, entry.invocation.function != function { continue }
                found.append(entry)
                if found.count == limit { break }
            }
            return found
        }
    }

    func entry(id: Int) -> Entry? {
        self.state.withLock { state in
            guard !state.ring.isEmpty, id >= state.ring[state.next].id, id <= state.lastID else { return nil }
            return state.ring[Self.index(of: id, in: state)]
        }
    }

    /// Where a kept id sits: ids are consecutive, and the oldest kept one is at `next` (0 until the ring is full).
    private static func index(of id: Int, in state: State) -> Int {
        (state.next + (id - state.ring[state.next].id)) % state.ring.count
    }

    func totals(of function: String) -> Totals {
        self.state.withLock { $0.totals[function] ?? Totals() }
    }

    /// The function's seconds within the window ending at `now` (seconds since the epoch), oldest first, with
    /// the seconds nothing happened in left out.
    func seconds(of function: String, now: Int64) -> [Second] {
        self.state.withLock { state in
            (state.seconds[function] ?? []).filter { $0.second > now - Int64(Self.window) }
        }
    }
}
