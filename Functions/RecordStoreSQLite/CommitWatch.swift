import GRDB
import Synchronization

/// Tells whether any connection, in this process or another, has committed to the file since it last looked.
///
/// `PRAGMA data_version` on a connection changes whenever another connection has committed since that connection
/// last asked. The probes are read-only connections of the store's own, so every commit, the store's writer's
/// included, is another connection's. One probe shared by every caller would make them take turns; with several,
/// their versions are not comparable, so each probe only reports *whether* it saw a change, and a seen change
/// advances one shared generation. A check made after a commit reads a version no probe has reported yet, so it
/// returns a generation above every one returned before the commit.
final class CommitWatch: Sendable {
    /// Each probe's state: the version it saw last, `nil` until it has looked.
    private let probes: ConnectionShelf<Int64?>
    private let generation = Atomic<UInt64>(0)

    init(path: String) {
        self.probes = ConnectionShelf(path: path, initialState: nil)
    }

    /// The current generation; `nil` when SQLite cannot say at once (the file is busy being recovered).
    func generationNow() throws -> UInt64? {
        try self.probes.withConnection { probe -> UInt64? in
            let version: Int64?
            do {
                version = try probe.queue.inDatabase { db in
                    try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                return nil
            }
            if version != probe.state {
                self.generation.add(1, ordering: .sequentiallyConsistent)
                probe.state = version
            }
            return self.generation.load(ordering: .sequentiallyConsistent)
        }
    }
}
