import CProcessTuning
import NIOCore
import NIOPosix

/// Runs Swift concurrency's global jobs on NIO's singleton event loops, which also serve the HTTP connections.
///
/// Without it every request crosses threads twice: the event loop hands the request to a task on the
/// cooperative pool, which hands the response back. Profiles of the query route spent a third of their CPU in the
/// kernel switching between those threads. This is what SwiftNIO's
/// `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()` does, with the hook's address
/// taken from the linker rather than `dlsym` (see `CProcessTuning.h`), so it holds in the static release build.
///
/// The price is SwiftNIO's rule made everyone's: no task may block its thread. The host's tasks only await.
enum EventLoopConcurrency {
    private typealias EnqueueGlobalHook =
        @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the hook unless something else already has. Call once, before serving.
    @discardableResult
    static func install() -> Bool {
        withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { hook in
            hook.baseAddress!.initialize(to: { job, _ in
                // `any()` returns the calling thread's own loop when it is one of the group's, so a task that
                // resumes from I/O stays where the I/O happened.
                MultiThreadedEventLoopGroup.singleton.any().executor.enqueue(ExecutorJob(job))
            })
            // A thin function is one pointer; the runtime calls the hook with Swift's calling convention.
            return hook.baseAddress!.withMemoryRebound(to: UnsafeRawPointer.self, capacity: 1) { function in
                contrail_install_enqueue_global_hook(function.pointee)
            }
        }
    }
}
