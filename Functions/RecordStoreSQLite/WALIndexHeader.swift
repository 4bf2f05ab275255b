#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The header SQLite's unix VFS keeps at the start of the `-shm` file, mapped read-only so that asking whether
/// anything was committed costs two 48-byte reads instead of a read transaction.
///
/// Every commit, from any connection in any process, rewrites this header before it returns: it appends frames
/// (`mxFrame` and the frame checksum change) or restarts the WAL (the salts change). Readers decide what they see
/// from it, so a header equal to the last one seen means no commit has completed since. The layout is SQLite's
/// documented wal-index format (https://sqlite.org/walformat.html, §2.1): two copies of a 48-byte header, the
/// writer fills the second and then the first, and a reader that finds them equal has read a whole one.
///
/// `PRAGMA data_version` answers the same question through GRDB, but it takes a dispatch queue, a read transaction
/// and two `fcntl` locks per call: a tenth of the CPU of a cached query. GRDB offers nothing cheaper, hence this.
/// ``ChangeProbes`` maps it only while a connection of its own holds the file open: SQLite truncates or deletes it
/// only when no connection in any process does, so it cannot shrink or be replaced under the mapping.
final class WALIndexHeader: @unchecked Sendable {
    /// One copy of the header, as six machine words, compared whole.
    typealias Copy = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    private static let copySize = 48
    /// `iVersion` of the only wal-index format SQLite has had since 3.7.0.
    private static let formatVersion: UInt32 = 3_007_000

    private let base: UnsafeMutableRawPointer
    private let length: Int

    /// Maps the header of the `-shm` file beside `databasePath`; `nil` when there is none yet, or it is not a
    /// wal-index this code knows, in which case callers fall back to asking SQLite.
    init?(databasePath: String) {
        let descriptor = open(databasePath + "-shm", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size >= 2 * Self.copySize else { return nil }
        let length = 2 * Self.copySize
        guard let base = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0), base != MAP_FAILED else { return nil }
        // Checked before the properties are set: a failable initialiser that returns `nil` after that runs
        // `deinit`, which would unmap the region a second time, by then perhaps someone else's.
        guard let copy = Self.read(at: base), Self.isKnownFormat(copy) else {
            munmap(base, length)
            return nil
        }
        self.base = base
        self.length = length
    }

    deinit {
        munmap(self.base, self.length)
    }

    /// The header as it stands, or `nil` while a writer is between its two copies.
    func read() -> Copy? {
        Self.read(at: self.base)
    }

    private static func read(at base: UnsafeMutableRawPointer) -> Copy? {
        var first: Copy = (0, 0, 0, 0, 0, 0)
        var second: Copy = (0, 0, 0, 0, 0, 0)
        // `memcpy` rather than loads the optimiser could merge or move across the fence.
        _ = withUnsafeMutableBytes(of: &first) { memcpy($0.baseAddress!, base, Self.copySize) }
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        _ = withUnsafeMutableBytes(of: &second) { memcpy($0.baseAddress!, base + Self.copySize, Self.copySize) }
        return Self.equal(first, second) ? first : nil
    }

    static func equal(_ a: Copy, _ b: Copy) -> Bool {
        a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.3 == b.3 && a.4 == b.4 && a.5 == b.5
    }

    /// `iVersion` (bytes 0–3) and `isInit` (byte 12) in native byte order, as SQLite writes them.
    private static func isKnownFormat(_ copy: Copy) -> Bool {
        withUnsafeBytes(of: copy) { bytes in
            bytes.load(fromByteOffset: 0, as: UInt32.self) == Self.formatVersion && bytes[12] == 1
        }
    }
}
