import Synchronization

/// Results of recent bounded reads, given again while no commit has happened since they were read.
///
/// Dashboards and clients poll the same few listings, and a page's SQL, its rows and their decoding cost more than
/// handing back the page read a moment ago. An entry is tied to the ``CommitWatch`` generation seen *before* it was
/// read, so a commit during the read makes it stale, never wrong: every answer includes the last commit, from
/// whichever process.
final class ReadReuse<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let generation: UInt64
        let value: Value
        let size: Int
    }

    private struct Contents {
        var entries: [Key: Entry] = [:]
        var bytes = 0
    }

    /// An entry's bookkeeping beyond its content (key, record fields, dictionary slot), so that many small
    /// results are bounded too.
    private static var entryOverhead: Int { 1024 }
    /// Bounds the memory: when a new result would pass it, every entry goes, which costs one miss per key.
    private let byteLimit: Int
    private let size: @Sendable (Value) -> Int
    private let contents = Mutex(Contents())

    init(byteLimit: Int, size: @escaping @Sendable (Value) -> Int) {
        self.byteLimit = byteLimit
        self.size = size
    }

    func value(for key: Key, generation: UInt64) -> Value? {
        self.contents.withLock { contents in
            guard let entry = contents.entries[key], entry.generation == generation else { return nil }
            return entry.value
        }
    }

    /// Keeps `value`, read while the watch reported `generation`; a result larger than a sixteenth of the limit is
    /// not kept, so one large record cannot push out everything else.
    func keep(_ value: Value, for key: Key, generation: UInt64) {
        let size = self.size(value) + Self.entryOverhead
        guard size <= self.byteLimit / 16 else { return }
        self.contents.withLock { contents in
            if let old = contents.entries[key] { contents.bytes -= old.size }
            if contents.bytes + size > self.byteLimit { contents = Contents() }
            contents.entries[key] = Entry(generation: generation, value: value, size: size)
            contents.bytes += size
        }
    }
}
