import Foundation

/// Latencies counted in buckets that grow by a quarter each, from 50 µs to over a minute, so that a second of
/// invocations takes the same few hundred bytes however many there were. A percentile is read as its bucket's
/// upper bound: at most 25% above the true value.
struct LatencyHistogram: Sendable {
    static let firstBoundMicros = 50.0
    static let growth = 1.25
    static let bucketCount = 64

    private(set) var counts = [Int](repeating: 0, count: Self.bucketCount)
    private(set) var total = 0

    mutating func record(_ duration: Duration) {
        self.counts[Self.bucket(micros: duration / .microseconds(1))] += 1
        self.total += 1
    }

    mutating func merge(_ other: LatencyHistogram) {
        for index in self.counts.indices { self.counts[index] += other.counts[index] }
        self.total += other.total
    }

    /// The latency below which `fraction` of the recorded ones fall, in milliseconds; nil when none were recorded.
    func percentileMilliseconds(_ fraction: Double) -> Double? {
        guard self.total > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(self.total)).rounded(.up)))
        var seen = 0
        for (index, count) in self.counts.enumerated() {
            seen += count
            if seen >= rank { return Self.upperBoundMicros(index) / 1000 }
        }
        return Self.upperBoundMicros(Self.bucketCount - 1) / 1000
    }

    static func bucket(micros: Double) -> Int {
        guard micros > Self.firstBoundMicros else { return 0 }
        let index = Int((log(micros / Self.firstBoundMicros) / log(Self.growth)).rounded(.up))
        return min(index, Self.bucketCount - 1)
    }

    static func upperBoundMicros(_ index: Int) -> Double {
        Self.firstBoundMicros * pow(Self.growth, Double(index))
    }
}
