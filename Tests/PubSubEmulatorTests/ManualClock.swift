import Foundation
import PubSubEmulator
import Synchronization

/// A clock that moves only when a test advances it.
final class ManualClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    var pubSubClock: PubSubClock { PubSubClock { [self] in self.current.withLock { $0 } } }

    func advance(seconds: Double) {
        self.current.withLock { $0 += seconds }
    }
}

extension ManualClock {
    var now: Date { self.pubSubClock.now() }
}
