import GRDB
import Synchronization

/// Tells whether any connection, in this process or another, has committed to the database, without making the
/// event loops that ask take turns.
///
/// The answer is one shared generation that a seen change advances. It comes from the wal-index header (see
/// ``WALIndexHeader``) once the `-shm` file exists, and otherwise from `PRAGMA data_version`, which changes on a
/// connection whenever another connection has committed since that connection last asked. One shared connection
/// made every request queue behind the others'; with several, their versions are not comparable, so each
/// connection only reports *whether* it saw a change. Every check that follows a commit reads a header or a version
/// that has not yet been seen, or one whose first sighting advanced the generation after the commit, so it
/// returns a generation above any returned before the commit.
final class ChangeProbes: Sendable {
    private struct HeaderWatch {
        /// `nil` until the `-shm` file holds a header this code reads.
        var header: WALIndexHeader?
        var lastSeen: WALIndexHeader.Copy?
        /// A header caught mid-write is worth another try; a file this code cannot read (another VFS, another
        /// format) is not, and trying would cost an `open` on every check.
        var mappingAttemptsLeft = 3
    }

    private let path: String
    /// Each probe's state: the version it saw last, `nil` until it has looked.
    private let probes: ConnectionShelf<Int64?>
    private let watch = Mutex(HeaderWatch())
    private let generation = Atomic<UInt64>(0)

    init(path: String) {
        self.path = path
        self.probes = ConnectionShelf(path: path, initialState: nil)
    }

    /// How changes are being seen, for tests: whether the header is mapped.
    var readsWALIndexHeader: Bool { self.watch.withLock { $0.header != nil } }

    func generationNow() throws -> UInt64 {
        if let generation = self.generationFromHeader() { return generation }
        let generation = try self.generationFromProbe()
        return try self.startWatchingHeader() ?? generation
    }

    /// `nil` when the header cannot be read now: not mapped yet, or a writer is between its two copies.
    private func generationFromHeader() -> UInt64? {
        self.watch.withLock { watch in
            guard let current = watch.header?.read() else { return nil }
            if let last = watch.lastSeen, WALIndexHeader.equal(last, current) {
                return self.generation.load(ordering: .sequentiallyConsistent)
            }
            watch.lastSeen = current
            return self.generation.add(1, ordering: .sequentiallyConsistent).newValue
        }
    }

    /// Maps the header once a probe has run. The probe's connection stays open on the shelf for as long as this
    /// object lives, and while a connection holds the `-shm` file SQLite neither truncates nor deletes it, so the
    /// mapping is always of the file every writer updates.
    ///
    /// The header is read before a second probe and kept as the last one seen: a commit after that read changes
    /// the header, one before it moves the probe's version, so neither is missed and no token moves without one.
    private func startWatchingHeader() throws -> UInt64? {
        try self.watch.withLock { watch in
            guard watch.header == nil, watch.mappingAttemptsLeft > 0 else { return nil }
            watch.mappingAttemptsLeft -= 1
            guard let header = WALIndexHeader(databasePath: self.path), let current = header.read() else { return nil }
            let generation = try self.generationFromProbe()
            watch.header = header
            watch.lastSeen = current
            return generation
        }
    }

    private func generationFromProbe() throws -> UInt64 {
        try self.probes.withConnection { probe in
            let version = try probe.queue.inDatabase { db in
                try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
            }
            if version != probe.state {
                self.generation.add(1, ordering: .sequentiallyConsistent)
                probe.state = version
            }
            return self.generation.load(ordering: .sequentiallyConsistent)
        }
    }
}
