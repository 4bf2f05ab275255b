import CoreMetrics
import Metrics

/// The RED metrics of one function: requests by status class, latency, and requests in flight.
struct FunctionMetrics: Sendable {
    static let requestsName = "contrail_function_requests_total"
    static let durationName = "contrail_function_request_duration_seconds"
    static let inFlightName = "contrail_function_requests_in_flight"
    /// Latency buckets from 1 ms to 10 s: the query API answers in milliseconds, a slow ingest commit in seconds.
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10),
    ]

    let inFlight: Meter
    let duration: Metrics.Timer
    /// Created up front for every class a response can have, so each series exists (at 0) from the first scrape
    /// and a rate over it never starts from nothing.
    private let requests: [Counter]

    init(function: String) {
        self.inFlight = Meter(label: Self.inFlightName, dimensions: [("function", function)])
        self.duration = Metrics.Timer(label: Self.durationName, dimensions: [("function", function)])
        self.requests = (1...5).map {
            Counter(label: Self.requestsName, dimensions: [("function", function), ("status_class", "\($0)xx")])
        }
    }

    func began() { self.inFlight.increment() }
    func ended() { self.inFlight.decrement() }

    func record(status: Int, latency: Duration) {
        self.requests[min(max(status / 100, 1), 5) - 1].increment()
        self.duration.recordNanoseconds(
            latency.components.seconds * 1_000_000_000 + latency.components.attoseconds / 1_000_000_000
        )
    }
}
