/// Validates topic and subscription ids: `^(?!goog)[A-Za-z][A-Za-z0-9._~+%-]{2,254}$`.
enum ResourceName {
    static let deletedTopic = "_deleted-topic_"

    static func validate(id: String, kind: String) throws(PubSubError) {
        let bytes = Array(id.utf8)
        guard (3...255).contains(bytes.count) else {
            throw .invalid("Invalid \(kind) id \"\(id)\": must be between 3 and 255 characters.")
        }
        guard !id.hasPrefix("goog") else {
            throw .invalid("Invalid \(kind) id \"\(id)\": must not start with \"goog\".")
        }
        guard Self.isLetter(bytes[0]) else {
            throw .invalid("Invalid \(kind) id \"\(id)\": must start with a letter.")
        }
        for byte in bytes.dropFirst() where !(Self.isLetter(byte) || Self.isDigit(byte) || Array("._~+%-".utf8).contains(byte)) {
            throw .invalid("Invalid \(kind) id \"\(id)\": only letters, digits and . _ ~ + % - are allowed.")
        }
    }

    static func topic(project: String, id: String) -> String { "projects/\(project)/topics/\(id)" }
    static func subscription(project: String, id: String) -> String { "projects/\(project)/subscriptions/\(id)" }

    /// Splits `projects/{p}/topics/{t}` into its project and id, validating both.
    static func parseTopic(_ name: String, field: String) throws(PubSubError) -> (project: String, id: String) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "projects", !parts[1].isEmpty, parts[2] == "topics" else {
            throw .invalid("Invalid \(field): \"\(name)\" is not of the form projects/{project}/topics/{topic}.")
        }
        try Self.validate(id: parts[3], kind: "topic")
        return (parts[1], parts[3])
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
}
