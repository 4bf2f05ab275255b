public import Foundation

/// The emulator's notion of now, injected so tests can move time without sleeping.
public struct PubSubClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static var system: PubSubClock { PubSubClock { Date() } }

    /// Microseconds since the Unix epoch, the unit the store keeps times in.
    var micros: Int64 { Int64((self.now().timeIntervalSince1970 * 1_000_000).rounded()) }
}
