import GRDB
import Synchronization

/// Read-only connections for work done on the calling thread, one per caller at a time, opened as needed.
///
/// Callers here are threads of Swift's cooperative pool, which must never wait for something that needs one of
/// those threads to finish. GRDB's reader pool can make them wait: its readers are shared with asynchronous
/// reads, whose tasks give a reader back only after resuming on the pool, so threads blocked on the reader pool
/// and tasks holding its readers could wait on each other for good. A shelf never blocks: a caller takes an idle
/// connection or opens one, and puts it back. There are at most as many as callers at once (one per thread).
final class ConnectionShelf<State: Sendable>: Sendable {
    struct Connection: Sendable {
        let queue: DatabaseQueue
        var state: State
    }

    private let path: String
    private let initialState: State
    private let idle = Mutex<[Connection]>([])

    init(path: String, initialState: State) {
        self.path = path
        self.initialState = initialState
    }

    func withConnection<T>(_ body: (inout Connection) throws -> T) throws -> T {
        var connection = try self.idle.withLock { $0.popLast() } ?? self.open()
        defer { self.idle.withLock { $0.append(connection) } }
        return try body(&connection)
    }

    private func open() throws -> Connection {
        var configuration = Configuration()
        configuration.readonly = true
        // A caller's thread is never made to wait: a busy file is the caller's to retry elsewhere.
        configuration.busyMode = .immediateError
        return Connection(
            queue: try DatabaseQueue(path: self.path, configuration: configuration),
            state: self.initialState
        )
    }
}
