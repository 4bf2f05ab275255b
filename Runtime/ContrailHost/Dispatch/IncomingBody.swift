#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ContrailKit

/// A request's body, read only once the invocation has accepted the request's head.
///
/// Routing, the method, the declared length and a push's token are all checked before ``read(upTo:)`` is called,
/// so a request refused for any of them costs no memory for its body, however large it says it is.
struct IncomingBody: Sendable {
    /// The length the head declares, when it declares one.
    let declaredLength: Int?
    private let reader: @Sendable (_ limit: Int) async throws(FunctionError) -> Data

    init(declaredLength: Int?, reader: @escaping @Sendable (_ limit: Int) async throws(FunctionError) -> Data) {
        self.declaredLength = declaredLength
        self.reader = reader
    }

    /// A body already in memory, as the in-process test client passes it.
    static func complete(_ data: Data) -> IncomingBody {
        IncomingBody(declaredLength: data.count) { limit throws(FunctionError) in
            guard data.count <= limit else { throw Self.tooLarge(limit: limit) }
            return data
        }
    }

    /// Reads the whole body, refusing it with 413 as soon as its declared length or the bytes received exceed
    /// `limit`.
    func read(upTo limit: Int) async throws(FunctionError) -> Data {
        if let declaredLength, declaredLength > limit { throw Self.tooLarge(limit: limit) }
        return try await self.reader(limit)
    }

    static func tooLarge(limit: Int) -> FunctionError {
        guard limit > 0 else { return FunctionError(.payloadTooLarge, "this function accepts no request body") }
        return FunctionError(.payloadTooLarge, "the request body exceeds the limit of \(limit) bytes")
    }
}
