public import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files, which bounds its connections: every connection is a descriptor.
///
/// The usual soft limit is 1,024 while the hard limit is far higher; a server that keeps the soft one turns
/// away, or worse, fails in a library that needs a descriptor, long before the machine runs short. Like Go's
/// runtime, the host raises the soft limit to the hard one at start.
public enum OpenFileLimit {
    /// Raises the soft limit to the hard limit and logs both; logs a warning and leaves the limit when the
    /// system refuses.
    public static func raise(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Self.resource, &limit) == 0 else {
            logger.warning("cannot read the open file limit", metadata: ["errno": "\(errno)"])
            return
        }
        let soft = limit.rlim_cur
        let hard = limit.rlim_max
        if soft < hard {
            limit.rlim_cur = hard
            guard setrlimit(Self.resource, &limit) == 0 else {
                logger.warning(
                    "cannot raise the open file limit",
                    metadata: ["soft": "\(soft)", "hard": "\(Self.text(hard))", "errno": "\(errno)"]
                )
                return
            }
        }
        logger.info(
            "open file limit \(Self.text(limit.rlim_cur))",
            metadata: ["soft_at_start": "\(Self.text(soft))", "hard": "\(Self.text(hard))"]
        )
    }

    /// How many connections the host keeps open at once: the soft limit less a reserve for everything else that
    /// needs a descriptor (store files, pools, event loops, outgoing requests).
    ///
    /// Past this the host stops accepting, and new connections wait in the kernel's backlog, rather than run the
    /// process out of descriptors: libdispatch's worker-pool monitor reads `/proc` once a second, and it stops
    /// the process when that open fails.
    public static func connectionCapacity() -> Int {
        var limit = rlimit()
        // Unreadable, the limit is taken to be the usual soft limit of 1,024.
        let soft = getrlimit(Self.resource, &limit) != 0 ? 1024 : Int(clamping: limit.rlim_cur)
        return max(1, soft - min(Self.reserve, soft / 2))
    }

    /// Descriptors kept for the process's own use whatever the connections take.
    static let reserve = 128

    private static func text(_ value: rlim_t) -> String {
        value == rlim_t.max ? "unlimited" : String(value)
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
