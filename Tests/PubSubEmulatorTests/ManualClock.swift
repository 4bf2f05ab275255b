import ContrailKit
import Foundation
import Synchronization

/// A clock that moves only when a test advances it.
final class ManualClock: Sendable {
    private let current = Mutex(Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000))

    var wallClock: WallClock { WallClock { [self] in self.current.withLock { $0 } } }

    var now: Timestamp { self.current.withLock { $0 } }

    func advance(seconds: Double) {
        self.current.withLock { $0 = $0.advanced(bySeconds: seconds) }
    }
}
