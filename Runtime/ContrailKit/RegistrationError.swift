/// Why a function could not be registered.
public enum RegistrationError: Error, Sendable, Hashable, CustomStringConvertible {
    case duplicateName(String)
    case invalidName(String, reason: String)

    public var description: String {
        switch self {
        case .duplicateName(let name):
            "a function named '\(name)' is already registered"
        case .invalidName(let name, let reason):
            "'\(name)' is not a valid function name: \(reason)"
        }
    }

    /// Names become the first path segment (`/<name>`) and `FUNCTION_TARGET` values, so they follow the rules of
    /// both: a letter first, then letters, digits, `-` or `_`, at most 63 characters.
    static func validate(name: String) throws(RegistrationError) {
        guard let first = name.unicodeScalars.first, first.isASCIILetter else {
            throw .invalidName(name, reason: "it must start with a letter")
        }
        guard name.utf8.count <= 63 else { throw .invalidName(name, reason: "it must be at most 63 characters") }
        let allowed = name.unicodeScalars.allSatisfy {
            $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard allowed else {
            throw .invalidName(name, reason: "use only letters, digits, '-' and '_'")
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
