import ContrailKit
import Logging

extension JSONWriter {
    /// Writes a log metadata value. Numbers and booleans stay numbers and booleans, so `httpRequest.status` is an
    /// integer; dictionaries are written with their keys sorted.
    mutating func metadata(_ value: Logger.Metadata.Value) {
        switch value {
        case .string(let string):
            self.string(string)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as any BinaryInteger: self.json("\(number)")
            case let number as Double where number.isFinite: self.json("\(number)")
            case let flag as Bool: self.bool(flag)
            default: self.string(convertible.description)
            }
        case .array(let values):
            self.beginArray()
            for element in values { self.metadata(element) }
            self.endArray()
        case .dictionary(let members):
            self.beginObject()
            for key in members.keys.sorted() {
                self.key(key)
                self.metadata(members[key]!)
            }
            self.endObject()
        }
    }
}
