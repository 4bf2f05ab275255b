import Foundation
package import SwiftProtobuf

/// A topic or subscription as the store keeps it: its proto3 JSON form, the same text REST clients read. Rows
/// written before resources were typed hold that form less `name` and `topic`, which the columns carry.
package enum ResourceJSON {
    /// How every reader of Pub/Sub's JSON here decodes it: fields a newer API adds are skipped, as Google's
    /// clients skip them.
    package static let decodingOptions: JSONDecodingOptions = {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return options
    }()

    static func decode<Resource: SwiftProtobuf.Message>(_ text: String, as: Resource.Type) -> Resource {
        (try? Resource(jsonString: text, options: Self.decodingOptions)) ?? Resource()
    }

    static func encode(_ resource: some SwiftProtobuf.Message) -> String {
        (try? resource.jsonString()) ?? "{}"
    }
}
