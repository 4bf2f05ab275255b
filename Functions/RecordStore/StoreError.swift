/// A store failure, translated from the driver's error by each adapter.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The store cannot be reached now; retrying later may succeed.
        case unavailable
        /// The configuration names no usable store.
        case invalidConfiguration
        /// The store answered with something the adapter did not expect.
        case unexpected
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }
}
