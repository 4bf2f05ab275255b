import CProcessTuning
import Foundation

/// Caps glibc's malloc arenas, unless `MALLOC_ARENA_MAX` already says how many.
///
/// glibc gives threads that contend for the allocator arenas of their own, up to eight per core, and an arena
/// that has grown under load keeps its pages. Two arenas suit a process that does its work on two event loops.
enum MallocArenas {
    static func limit() {
        if ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil {
            contrail_limit_malloc_arenas(2)
        }
    }
}
