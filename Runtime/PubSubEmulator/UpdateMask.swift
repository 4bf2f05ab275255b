import Foundation

/// The `updateMask` of an Update request: a comma-separated FieldMask of top-level fields, in either spelling.
struct UpdateMask {
    let fields: [String]

    /// - Parameters:
    ///   - request: `UpdateTopicRequest` or `UpdateSubscriptionRequest`, for the error messages.
    ///   - updatable: the fields this resource lets an update change.
    init(_ value: Any?, request: String, resource: String, updatable: Set<String>) throws(PubSubError) {
        let text = try ProtoJSON.string(value, field: "updateMask") ?? ""
        let paths = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !paths.isEmpty else {
            throw .invalid("The update_mask in the \(request) must be set, and must be non-empty.")
        }
        self.fields = try paths.map { path throws(PubSubError) in
            let field = Self.lowerCamel(path)
            guard updatable.contains(field) else {
                throw .invalid("Invalid update_mask provided in the \(request): the '\(path)' path is not a field of \(resource) that can be updated.")
            }
            return field
        }
    }

    /// `ack_deadline_seconds` → `ackDeadlineSeconds`; lowerCamel paths pass unchanged.
    static func lowerCamel(_ path: String) -> String {
        var result = ""
        var upper = false
        for character in path {
            if character == "_" { upper = true; continue }
            result.append(upper ? Character(character.uppercased()) : character)
            upper = false
        }
        return result
    }
}
