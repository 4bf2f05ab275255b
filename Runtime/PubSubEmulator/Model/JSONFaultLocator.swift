import SwiftProtobuf

/// Finds where a JSON body stops being a valid `Request`: the deepest field or element that, sent alone in an
/// otherwise empty body, still fails to decode. It asks nothing of the message's schema but the decoder itself,
/// so it serves every request type alike.
struct JSONFaultLocator<Request: SwiftProtobuf.Message> {
    /// Field names and `[index]`s from the top, empty when no single part fails alone (the body as a whole does).
    func path(in root: Google_Protobuf_Value) -> [String] {
        var path: [String] = []
        var keep: (Google_Protobuf_Value) -> Google_Protobuf_Value = { $0 }
        var node = root
        descending: while true {
            switch node.kind {
            case .structValue(let object):
                for (key, child) in object.fields.sorted(by: { $0.key < $1.key }) {
                    let wrap = keep
                    let candidate: (Google_Protobuf_Value) -> Google_Protobuf_Value = { inner in
                        wrap(Google_Protobuf_Value(structValue: Google_Protobuf_Struct(fields: [key: inner])))
                    }
                    if self.fails(candidate(child)) {
                        path.append(key)
                        keep = candidate
                        node = child
                        continue descending
                    }
                }
            case .listValue(let list):
                for (index, child) in list.values.enumerated() {
                    let wrap = keep
                    let candidate: (Google_Protobuf_Value) -> Google_Protobuf_Value = { inner in
                        wrap(Google_Protobuf_Value(listValue: Google_Protobuf_ListValue(values: [inner])))
                    }
                    if self.fails(candidate(child)) {
                        path.append("[\(index)]")
                        keep = candidate
                        node = child
                        continue descending
                    }
                }
            default:
                break
            }
            return path
        }
    }

    private func fails(_ body: Google_Protobuf_Value) -> Bool {
        guard let json = try? body.jsonUTF8Data() else { return false }
        return (try? Request(jsonUTF8Data: json)) == nil
    }

    /// `messages`, `[0]`, `data` → `messages[0].data`.
    static func text(_ path: ArraySlice<String>) -> String {
        path.reduce(into: "") { text, part in
            if part.hasPrefix("[") || text.isEmpty { text += part } else { text += "." + part }
        }
    }
}
