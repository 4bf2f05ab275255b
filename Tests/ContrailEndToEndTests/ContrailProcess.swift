import Foundation
import Synchronization

/// The real `contrail` executable, started as a child process on a free port with JSON logs.
final class ContrailProcess: Sendable {
    let process: Process
    let port: Int
    private let output: OutputCollector

    /// Starts `contrail <arguments>` with `environment` added to this process's, and waits for the host's
    /// "listening" log line to learn the port it bound.
    static func start(
        _ arguments: [String] = ["serve"],
        environment: [String: String] = [:]
    ) async throws -> ContrailProcess {
        let process = Process()
        process.executableURL = try executableURL()
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["PORT"] = "0"
        merged["LOG_FORMAT"] = "json"
        merged["DATABASE_URL"] = "sqlite:" + temporaryDirectory().appendingPathComponent("store.sqlite").path
        merged.merge(environment) { $1 }
        process.environment = merged
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let collector = OutputCollector()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        stdout.fileHandleForReading.readabilityHandler = { collector.append($0.availableData, stream: .stdout) }
        stderr.fileHandleForReading.readabilityHandler = { collector.append($0.availableData, stream: .stderr) }
        try process.run()
        let port: Int
        do {
            port = try await collector.waitForListeningPort(process: process)
        } catch {
            // A process that never listened would otherwise outlive the test.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw error
        }
        return ContrailProcess(process: process, port: port, output: collector)
    }

    private init(process: Process, port: Int, output: OutputCollector) {
        self.process = process
        self.port = port
        self.output = output
    }

    /// Runs `contrail <arguments>` to completion and returns its exit status and standard error.
    static func run(
        _ arguments: [String],
        environment: [String: String]
    ) async throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = try executableURL()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let collector = OutputCollector()
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        // Read on the pipe's own thread: a blocking read here would hold one of the few cooperative threads.
        stderr.fileHandleForReading.readabilityHandler = { collector.append($0.availableData, stream: .stderr) }
        try process.run()
        await Self.waitForExit(process)
        stderr.fileHandleForReading.readabilityHandler = nil
        collector.append(stderr.fileHandleForReading.readDataToEndOfFile(), stream: .stderr)
        return (process.terminationStatus, collector.text(.stderr))
    }

    func signal(_ signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit() async -> Int32 {
        await Self.waitForExit(self.process)
        return self.process.terminationStatus
    }

    /// Standard output so far, one JSON object per line.
    var logLines: [[String: Any]] {
        self.output.text(.stdout).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    var standardError: String { self.output.text(.stderr) }

    deinit {
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
    }

    private static func waitForExit(_ process: Process) async {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The test bundle sits beside the products it was built with; `CONTRAIL_BINARY` overrides.
    private static func executableURL() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["CONTRAIL_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("contrail")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw ContrailProcessError.executableNotFound(CommandLine.arguments[0])
    }
}

/// A new, empty directory for one test's files.
func temporaryDirectory() -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contrail-e2e-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

enum ContrailProcessError: Error {
    case executableNotFound(String)
    case exitedBeforeListening(status: Int32, stderr: String)
}

/// Collects a child's output as it arrives, from the pipes' reader threads.
final class OutputCollector: Sendable {
    enum Stream { case stdout, stderr }
    private let buffers = Mutex<(stdout: Data, stderr: Data)>((Data(), Data()))

    func append(_ data: Data, stream: Stream) {
        self.buffers.withLock {
            switch stream {
            case .stdout: $0.stdout.append(data)
            case .stderr: $0.stderr.append(data)
            }
        }
    }

    func text(_ stream: Stream) -> String {
        self.buffers.withLock { String(decoding: stream == .stdout ? $0.stdout : $0.stderr, as: UTF8.self) }
    }

    func waitForListeningPort(process: Process) async throws -> Int {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while ContinuousClock.now < deadline {
            for line in self.text(.stdout).split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    (object["message"] as? String)?.hasPrefix("listening on") == true,
                    let port = object["port"] as? Int
                else { continue }
                return port
            }
            if !process.isRunning {
                throw ContrailProcessError.exitedBeforeListening(
                    status: process.terminationStatus,
                    stderr: self.text(.stderr)
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ContrailProcessError.exitedBeforeListening(status: -1, stderr: "not listening after 60 s")
    }
}
