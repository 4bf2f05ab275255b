import Synchronization

/// The lines one invocation logged, kept for its observer: the latest ``capacity`` of them, each cut at
/// ``lineLimit`` UTF-8 bytes, so that a function logging in a loop holds a bounded amount.
public final class LogLineBuffer: Sendable {
    public static let capacity = 50
    public static let lineLimit = 2048

    private let state = Mutex<(lines: [String], dropped: Int)>(([], 0))

    public init() {}

    func append(_ line: String) {
        let kept =
            line.utf8.count <= Self.lineLimit
            ? line : String(decoding: line.utf8.prefix(Self.lineLimit), as: UTF8.self) + "…"
        self.state.withLock { state in
            if state.lines.count == Self.capacity {
                state.lines.removeFirst()
                state.dropped += 1
            }
            state.lines.append(kept)
        }
    }

    /// The kept lines, oldest first, after a note of how many earlier ones were dropped, if any.
    public var lines: [String] {
        self.state.withLock { state in
            state.dropped == 0 ? state.lines : ["(\(state.dropped) earlier lines dropped)"] + state.lines
        }
    }
}
