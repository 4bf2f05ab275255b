import Foundation
import SwiftProtobuf

/// A topic or subscription as the store keeps it: its proto3 JSON form, the same text REST clients read. Rows
/// written before resources were typed hold that form less `name` and `topic`, which the columns carry.
enum ResourceJSON {
    static func decode<Resource: SwiftProtobuf.Message>(_ text: String, as: Resource.Type) -> Resource {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return (try? Resource(jsonString: text, options: options)) ?? Resource()
    }

    static func encode(_ resource: some SwiftProtobuf.Message) -> String {
        (try? resource.jsonString()) ?? "{}"
    }
}
