import Foundation
import Testing

/// A PostgreSQL cluster of a test's own, in a temporary directory, so the test can stop and start it.
final class TemporaryPostgresServer: Sendable {
    let directory: URL
    let port: Int

    var url: String { "postgres://postgres@127.0.0.1:\(self.port)/postgres" }

    static var isAvailable: Bool { (try? binary("initdb")) != nil }

    private init(directory: URL, port: Int) {
        self.directory = directory
        self.port = port
    }

    /// Creates a cluster in a new temporary directory and starts it.
    static func start() async throws -> TemporaryPostgresServer {
        let server = TemporaryPostgresServer(directory: temporaryDirectory(), port: try freePort())
        try await runCommand(["chown", "-R", "postgres", server.directory.path], asRoot: true)
        try await runCommand([try binary("initdb"), "-D", server.dataDirectory, "-A", "trust", "-U", "postgres"])
        try await server.start()
        return server
    }

    private var dataDirectory: String { self.directory.appendingPathComponent("data").path }

    func start() async throws {
        try await Self.runCommand([
            try Self.binary("pg_ctl"), "-D", self.dataDirectory, "-w", "-l",
            self.directory.appendingPathComponent("log").path,
            "-o", "-p \(self.port) -k \(self.directory.path) -c listen_addresses=127.0.0.1", "start",
        ])
    }

    func stop() async throws {
        try await Self.runCommand([try Self.binary("pg_ctl"), "-D", self.dataDirectory, "-m", "fast", "-w", "stop"])
    }

    /// Stops the cluster and removes its directory.
    func remove() async {
        try? await self.stop()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// initdb refuses to run as root, so as root every command runs as the `postgres` user.
    private static func runCommand(_ command: [String], asRoot: Bool = false) async throws {
        let arguments = getuid() == 0 && !asRoot ? ["runuser", "-u", "postgres", "--"] + command : command
        try await runProcess(arguments)
    }

    private static func binary(_ name: String) throws -> String {
        let directories =
            (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed()
            .map { "/usr/lib/postgresql/\($0)/bin" }
        for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw PostgresServerError.notInstalled(name)
    }
}

/// Runs a command to completion on a thread of its own, so the cooperative pool is never blocked.
///
/// `system(3)` rather than `Process`: Foundation's `Process` on Linux never reported the exit of `pg_ctl start`
/// (whose server daemonises), neither through `waitUntilExit` nor through `terminationHandler`.
func runProcess(_ arguments: [String]) async throws {
    let command =
        arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        + " >/dev/null 2>&1"
    let status: Int32 = await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: system(command)) }.start()
    }
    guard status == 0 else { throw PostgresServerError.commandFailed(arguments.joined(separator: " ")) }
}

enum PostgresServerError: Error {
    case notInstalled(String)
    case commandFailed(String)
}

/// A TCP port nothing listens on right now.
func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
        }
    }
    guard bound else { throw PostgresServerError.commandFailed("bind") }
    return Int(UInt16(bigEndian: address.sin_port))
}
