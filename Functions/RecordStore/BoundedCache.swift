import Synchronization

/// Values kept by key within a memory bound, for the reads and answers that repeated GETs ask for again.
///
/// The caller decides whether a kept value still holds (it keeps what tells, beside the value); this only keeps
/// them, and forgets them all at once when a new one would pass the bound, which costs one miss per key.
package final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let size: Int
    }

    private struct Contents {
        var entries: [Key: Entry] = [:]
        var bytes = 0
    }

    /// An entry's bookkeeping beyond what its caller counts (key, dictionary slot, object headers), so that many
    /// small values are bounded too.
    private static var entryOverhead: Int { 1024 }
    private let byteLimit: Int
    private let contents = Mutex(Contents())

    package init(byteLimit: Int) {
        self.byteLimit = byteLimit
    }

    package func value(for key: Key) -> Value? {
        self.contents.withLock { $0.entries[key]?.value }
    }

    /// Keeps `value`, which weighs about `size` bytes; one over a sixteenth of the bound is not kept, so that one
    /// large value cannot push out everything else.
    package func keep(_ value: Value, for key: Key, size: Int) {
        let size = size + Self.entryOverhead
        guard size <= self.byteLimit / 16 else { return }
        self.contents.withLock { contents in
            if let old = contents.entries[key] { contents.bytes -= old.size }
            if contents.bytes + size > self.byteLimit { contents = Contents() }
            contents.entries[key] = Entry(value: value, size: size)
            contents.bytes += size
        }
    }
}
