#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where the time of day comes from: the system's, or one a test moves by hand.
///
/// Everything that reads the time of day (publish times and ack deadlines in the local Pub/Sub service, the times
/// on push tokens and their checks, when a record was received, how long signing keys are kept) takes one of
/// these, so a test can step through minutes of retries and expiries without sleeping.
public struct WallClock: Sendable {
    public var now: @Sendable () -> Timestamp

    public init(now: @escaping @Sendable () -> Timestamp) {
        self.now = now
    }

    public static let system = WallClock { Timestamp(Date()) }
}
