import Foundation
import SwiftProtobuf

/// The `update_mask` of an Update request: top-level fields of the resource that it lets an update change.
struct UpdateMask {
    let fieldMask: Google_Protobuf_FieldMask

    /// - Parameters:
    ///   - request: `UpdateTopicRequest` or `UpdateSubscriptionRequest`, for the error messages.
    ///   - updatable: the fields, in snake_case, this resource lets an update change.
    init(
        _ mask: Google_Protobuf_FieldMask,
        request: String,
        resource: String,
        updatable: Set<String>
    )
        throws(PubSubError)
    {
        guard !mask.paths.isEmpty else {
            throw .invalid("The update_mask in the \(request) must be set, and must be non-empty.")
        }
        for path in mask.paths where !updatable.contains(path) {
            throw .invalid(
                "Invalid update_mask provided in the \(request): the '\(path)' path is not a field of \(resource) "
                    + "that can be updated."
            )
        }
        self.fieldMask = mask
    }

    /// The resource with the masked fields taken from `patch`, a field absent from it being cleared.
    func apply<Resource: SwiftProtobuf.Message>(
        _ patch: Resource,
        to resource: Resource
    ) throws(PubSubError)
        -> Resource
    {
        var result = resource
        do {
            var options = Google_Protobuf_FieldMask.MergeOptions()
            options.replaceRepeatedFields = true
            try result.merge(from: patch, fieldMask: self.fieldMask, mergeOption: options)
        } catch {
            throw .invalid("The update_mask could not be applied: \(error)")
        }
        return result
    }

    /// `retry_policy` written as a JSON field mask should be: `retryPolicy`. Google accepts either spelling in
    /// the REST API; the proto3 JSON mapping, only the second.
    static func lowerCamel(_ path: String) -> String {
        var result = ""
        var upper = false
        for character in path {
            if character == "_" {
                upper = true
                continue
            }
            result.append(upper ? Character(character.uppercased()) : character)
            upper = false
        }
        return result
    }
}
