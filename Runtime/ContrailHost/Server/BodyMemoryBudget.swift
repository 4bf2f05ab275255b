import Synchronization

/// The bytes of request bodies that all connections together may hold in memory at once.
///
/// Each request body is bounded on its own, but a hundred slow uploads, each within its limit, would still
/// hold gigabytes between them. A body that would take the total past the budget is refused with 503, which
/// Pub/Sub and HTTP clients retry, instead of being buffered.
final class BodyMemoryBudget: Sendable {
    let limit: Int
    private let held = Mutex(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes `bytes` from the budget, or returns `false` and takes nothing when they do not fit.
    func reserve(_ bytes: Int) -> Bool {
        self.held.withLock { held in
            guard bytes <= self.limit - held else { return false }
            held += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        self.held.withLock { $0 -= bytes }
    }

    /// The bytes reserved now.
    var inUse: Int { self.held.withLock { $0 } }
}
