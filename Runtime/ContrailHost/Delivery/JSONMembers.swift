import ContrailKit

/// Typed access to the members of a JSON object, naming the offending field when a type is wrong.
struct JSONMembers {
    let members: [String: JSONValue]
    /// The object's location in the body, e.g. `message`, for error messages.
    let path: String

    init(_ members: [String: JSONValue], path: String) {
        self.members = members
        self.path = path
    }

    func has(_ key: String) -> Bool { self.members[key] != nil }

    func fieldName(_ key: String) -> String { self.path.isEmpty ? key : "\(self.path).\(key)" }

    func string(_ key: String) throws(DeliveryError) -> String? {
        switch self.members[key] {
        case nil, .null: return nil
        case .string(let value): return value
        case let other?: throw .wrongType(field: self.fieldName(key), expected: "a string", found: other.typeName)
        }
    }

    func object(_ key: String) throws(DeliveryError) -> JSONMembers? {
        switch self.members[key] {
        case nil, .null: return nil
        case .object(let value): return JSONMembers(value, path: self.fieldName(key))
        case let other?: throw .wrongType(field: self.fieldName(key), expected: "an object", found: other.typeName)
        }
    }

    /// A non-negative whole number; Pub/Sub's int32 fields may also arrive as strings under the proto3 JSON mapping.
    func count(_ key: String) throws(DeliveryError) -> Int? {
        switch self.members[key] {
        case nil, .null:
            return nil
        case .number(let value) where value >= 0 && value <= Double(Int32.max) && value.rounded() == value:
            return Int(value)
        case .string(let text) where Int32(text).map { $0 >= 0 } == true:
            return Int(text)
        case let other?:
            throw .wrongType(field: self.fieldName(key), expected: "a non-negative integer", found: other.typeName)
        }
    }

    /// The first of `keys` that is present, for fields Pub/Sub spells in two ways.
    func string(_ keys: String...) throws(DeliveryError) -> String? {
        for key in keys {
            if let value = try self.string(key) { return value }
        }
        return nil
    }

    func count(_ keys: String...) throws(DeliveryError) -> Int? {
        for key in keys {
            if let value = try self.count(key) { return value }
        }
        return nil
    }

    func stringMap(_ key: String) throws(DeliveryError) -> [String: String] {
        guard let object = try self.object(key) else { return [:] }
        var map: [String: String] = [:]
        for name in object.members.keys {
            map[name] = try object.string(name)
        }
        return map
    }

    func requiredString(_ key: String) throws(DeliveryError) -> String {
        guard let value = try self.string(key), !value.isEmpty else { throw .missingField(self.fieldName(key)) }
        return value
    }
}
