import ContrailKit
import PubSubEmulator

/// What the live charts are drawn from: per function, every second of the window with invocations in it.
struct ConsoleSnapshot: Encodable, Sendable {
    struct Point: Encodable, Sendable {
        var t: Int64
        var count: Int
        var errors: Int
        var p50Ms: Double?
        var p99Ms: Double?
    }

    /// The last minute, summed up for the text beside a chart.
    struct Summary: Encodable, Sendable {
        var ratePerSecond: Double
        var errorPercent: Double
        var p50Ms: Double?
        var p99Ms: Double?
    }

    struct Series: Encodable, Sendable {
        var total: Int
        var errors: Int
        var windowTotal: Int
        var lastMinute: Summary
        var series: [Point]
    }

    var now: Int64
    var window: Int
    var latestInvocation: Int
    var functions: [String: Series]
}

extension Console {
    func snapshot() -> ConsoleSnapshot {
        let now = self.pubsub.clock.now().microsecondsSinceEpoch / 1_000_000
        var functions: [String: ConsoleSnapshot.Series] = [:]
        for function in self.functions {
            let seconds = self.journal.seconds(of: function.name, now: now)
            var minute = LatencyHistogram()
            var minuteErrors = 0
            for second in seconds where second.second > now - 60 {
                minute.merge(second.latencies)
                minuteErrors += second.errors
            }
            let totals = self.journal.totals(of: function.name)
            functions[function.name] = ConsoleSnapshot.Series(
                total: totals.count,
                errors: totals.errors,
                windowTotal: seconds.reduce(0) { $0 + $1.count },
                lastMinute: ConsoleSnapshot.Summary(
                    ratePerSecond: Double(minute.total) / 60,
                    errorPercent: minute.total == 0 ? 0 : Double(minuteErrors) * 100 / Double(minute.total),
                    p50Ms: minute.percentileMilliseconds(0.5),
                    p99Ms: minute.percentileMilliseconds(0.99)
                ),
                series: seconds.map { second in
                    ConsoleSnapshot.Point(
                        t: second.second,
                        count: second.count,
                        errors: second.errors,
                        p50Ms: second.latencies.percentileMilliseconds(0.5),
                        p99Ms: second.latencies.percentileMilliseconds(0.99)
                    )
                }
            )
        }
        return ConsoleSnapshot(
            now: now,
            window: InvocationJournal.window,
            latestInvocation: self.journal.latestID,
            functions: functions
        )
    }
}
