/// Validates topic and subscription ids (`^(?!goog)[A-Za-z][A-Za-z0-9._~+%-]{2,254}$`, as Google does) and project
/// ids, always as decoded: the `%` an id may contain is a character of its own, written `%25` in a URL path.
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
        for byte in bytes.dropFirst()
        where !(Self.isLetter(byte) || Self.isDigit(byte) || Array("._~+%-".utf8).contains(byte)) {
            throw .invalid("Invalid \(kind) id \"\(id)\": only letters, digits and . _ ~ + % - are allowed.")
        }
    }

    /// Google's project ids are 6 to 30 lowercase letters, digits and hyphens; the local service also takes the short
    /// ids tests and examples use (`p`), domain-scoped ids (`example.com:app`) and project numbers, but nothing that
    /// could not be one, such as a space, a slash or a `%`.
    static func validate(project: String) throws(PubSubError) {
        let bytes = Array(project.utf8)
        guard (1...100).contains(bytes.count), Self.isLowercase(bytes[0]) || Self.isDigit(bytes[0]),
            bytes.allSatisfy({ Self.isLowercase($0) || Self.isDigit($0) || Array("-.:".utf8).contains($0) })
        else {
            throw .invalid(
                "Invalid project id \"\(project)\": it must be 1 to 100 lowercase letters, digits, hyphens, dots and "
                    + "colons, starting with a letter or a digit."
            )
        }
    }

    static func topic(project: String, id: String) -> String { "projects/\(project)/topics/\(id)" }
    static func subscription(project: String, id: String) -> String { "projects/\(project)/subscriptions/\(id)" }

    /// Splits `projects/{p}/topics/{t}` into its project and id, validating both.
    static func parseTopic(_ name: String, field: String) throws(PubSubError) -> (project: String, id: String) {
        try Self.parse(name, collection: "topics", kind: "topic", field: field)
    }

    /// Splits `projects/{p}/subscriptions/{s}` into its project and id, validating both.
    static func parseSubscription(_ name: String, field: String) throws(PubSubError) -> (project: String, id: String) {
        try Self.parse(name, collection: "subscriptions", kind: "subscription", field: field)
    }

    /// The project of `projects/{p}`, validated.
    static func parseProject(_ name: String, field: String) throws(PubSubError) -> String {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts[0] == "projects" else { throw Self.invalidName(name, field: field) }
        try Self.validate(project: parts[1])
        return parts[1]
    }

    private static func parse(
        _ name: String,
        collection: String,
        kind: String,
        field: String
    ) throws(PubSubError) -> (project: String, id: String) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "projects", !parts[1].isEmpty, parts[2] == collection else {
            throw Self.invalidName(name, field: field)
        }
        try Self.validate(project: parts[1])
        try Self.validate(id: parts[3], kind: kind)
        return (parts[1], parts[3])
    }

    /// Google's words, naming the field that holds the name.
    private static func invalidName(_ name: String, field: String) -> PubSubError {
        .invalid(
            "Invalid resource name given (name=\(name)) in \(field). Refer to "
                + "https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names for more information."
        )
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || Self.isLowercase(byte) }
    private static func isLowercase(_ byte: UInt8) -> Bool { (97...122).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
}
