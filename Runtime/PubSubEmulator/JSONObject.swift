import Foundation

/// A parsed JSON object checked against the field names a message type declares, as Google's ESF does.
struct JSONObject {
    let fields: [String: Any]

    /// Parses a request body; an empty body is an empty object.
    init(body: Data) throws(PubSubError) {
        if body.isEmpty || body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            self.fields = [:]
            return
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        } catch {
            throw .invalid("Invalid JSON payload received. Could not parse the request body as JSON.")
        }
        guard let object = parsed as? [String: Any] else {
            throw .invalid("Invalid JSON payload received. The request body must be a JSON object.")
        }
        self.fields = object
    }

    init(_ value: Any?, field: String) throws(PubSubError) {
        guard let value else { self.fields = [:]; return }
        guard let object = value as? [String: Any] else {
            throw .invalid("Invalid value at '\(field)': expected an object.")
        }
        self.fields = object
    }

    /// Rejects the first field (in sorted order) that `known` does not list.
    func requireKnown(_ known: Set<String>, at path: String?) throws(PubSubError) {
        if let unknown = self.fields.keys.sorted().first(where: { !known.contains($0) }) {
            let location = path.map { " at '\($0)'" } ?? ""
            throw .invalid("Invalid JSON payload received. Unknown name \"\(unknown)\"\(location): Cannot find field.")
        }
    }

    subscript(_ key: String) -> Any? {
        let value = self.fields[key]
        return value is NSNull ? nil : value
    }

    static func encode(_ value: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    static func decode(_ data: Data) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }
}
