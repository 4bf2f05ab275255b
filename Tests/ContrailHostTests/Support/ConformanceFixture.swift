import Foundation

/// One case of Google's functions-framework conformance data: the same Pub/Sub message as a legacy event and as a
/// CloudEvent, with the outputs a framework is expected to derive from them.
struct ConformanceFixture {
    /// What a file of a case holds, from its name: `<case>-<role>.json`.
    enum Role: String, CaseIterable {
        case legacyInput = "legacy-input"
        case cloudEventInput = "cloudevent-input"
        case cloudEventOutput = "cloudevent-output"
        case legacyOutput = "legacy-output"
        case legacyOutputConverted = "legacy-output-converted"
    }

    static let cases = ["legacy_pubsub", "pubsub_text", "pubsub_binary"]

    let name: String
    /// Every file of the case, by role; a file whose role is unknown fails the load.
    let files: [Role: Data]

    init(_ name: String) throws {
        self.name = name
        var files: [Role: Data] = [:]
        for fileName in try Self.jsonFileNames() where fileName.hasPrefix("\(name)-") {
            let roleName = fileName.dropFirst(name.count + 1).dropLast(".json".count)
            guard let role = Role(rawValue: String(roleName)) else { throw UnknownFixture(fileName: fileName) }
            files[role] = try Data(contentsOf: Self.directory.appending(path: fileName))
        }
        self.files = files
    }

    func data(_ role: Role) throws -> Data {
        guard let data = self.files[role] else { throw UnknownFixture(fileName: "\(self.name)-\(role.rawValue).json") }
        return data
    }

    func object(_ role: Role) throws -> [String: Any] {
        try Self.object(self.data(role))
    }

    static var directory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appending(path: "conformance")
    }

    static func fileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: self.directory.path).sorted()
    }

    static func jsonFileNames() throws -> [String] {
        try self.fileNames().filter { $0.hasSuffix(".json") }
    }

    static func object(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw UnknownFixture(fileName: "a fixture that is not a JSON object")
        }
        return object
    }

    /// An RFC 3339 timestamp with milliseconds, as the fixtures write them, parsed by Foundation rather than by
    /// the decoder under test.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

struct UnknownFixture: Error, CustomStringConvertible {
    let fileName: String
    var description: String { "no conformance fixture role for \(self.fileName)" }
}
