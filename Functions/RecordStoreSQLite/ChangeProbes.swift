import GRDB
import Synchronization

/// Tells whether any connection, in this process or another, has committed to the database, without making the
/// event loops that ask take turns.
///
/// `PRAGMA data_version` changes on a connection whenever another connection has committed since that connection
/// last asked. One shared connection made every request queue behind the others'; with several, their versions
/// are not comparable, so each connection only reports *whether* it saw a change, and a seen change advances one
/// shared generation. Every check that follows a commit is made on a connection that has not yet seen that commit
/// or that advanced the generation when it did, so it returns a generation above any returned before the commit.
final class ChangeProbes: Sendable {
    /// Each probe's state: the version it saw last, `nil` until it has looked.
    private let probes: ConnectionShelf<Int64?>
    private let generation = Atomic<UInt64>(0)

    init(path: String) {
        self.probes = ConnectionShelf(path: path, initialState: nil)
    }

    func generationNow() throws -> UInt64 {
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
