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
    private struct Probe {
        let connection: DatabaseQueue
        var lastVersion: Int64?
    }

    private let path: String
    private let idle = Mutex<[Probe]>([])
    private let generation = Atomic<UInt64>(0)

    init(path: String) {
        self.path = path
    }

    func generationNow() throws -> UInt64 {
        var probe = try self.idle.withLock { $0.popLast() } ?? self.open()
        defer { self.idle.withLock { $0.append(probe) } }
        let version = try probe.connection.inDatabase { db in
            try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
        }
        if version != probe.lastVersion {
            self.generation.add(1, ordering: .sequentiallyConsistent)
            probe.lastVersion = version
        }
        return self.generation.load(ordering: .sequentiallyConsistent)
    }

    private func open() throws -> Probe {
        var configuration = Configuration()
        configuration.readonly = true
        return Probe(connection: try DatabaseQueue(path: self.path, configuration: configuration))
    }
}
