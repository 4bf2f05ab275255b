import GRDB
import RecordStore
import Synchronization

/// Remembers that SQLite found the store's file corrupted, so that every later call, ``SQLiteRecordStore/ping()``
/// and with it `/_/health` included, fails and says so.
///
/// SQLite reads a page only when a statement needs it: a file damaged in the middle opens, migrates and answers
/// `SELECT 1` as if it were sound, while every write that reaches a damaged page fails. Checking the whole file at
/// open (`PRAGMA quick_check`) reads all of it, which grows with the file and would dwarf a cold start; the
/// first `SQLITE_CORRUPT` or `SQLITE_NOTADB` is as sure a sign, and costs nothing. Damage does not mend itself,
/// so the latch never opens again.
final class CorruptionLatch: Sendable {
    private let path: String
    private let reason = Mutex<String?>(nil)

    init(path: String) {
        self.path = path
    }

    /// Latches when `error` says the file is damaged.
    func record(_ error: any Error) {
        guard let error = error as? DatabaseError,
            error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
        else { return }
        let reason = error.message ?? "\(error.resultCode)"
        self.reason.withLock { if $0 == nil { $0 = reason } }
    }

    /// - Throws: ``StoreError`` naming the file and SQLite's reason, once the latch has closed.
    func check() throws(StoreError) {
        guard let reason = self.reason.withLock({ $0 }) else { return }
        throw StoreError(
            .unexpected,
            "the SQLite file at \(self.path) is corrupted: \(reason); restore it from a backup, or move it and its "
                + "-wal file aside to start with an empty store"
        )
    }
}
