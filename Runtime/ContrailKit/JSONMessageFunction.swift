#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A ``MessageFunction`` whose payloads are JSON documents of one `Decodable` type.
///
/// A payload that does not decode is refused with 400 before `onMessage` runs.
public protocol JSONMessageFunction: MessageFunction {
    associatedtype Payload: Decodable & Sendable
    func onMessage(_ payload: Payload, message: PubSubMessage, context: FunctionContext) async throws
}

extension JSONMessageFunction {
    /// The decoder for payloads; override to change date or key strategies.
    public var payloadDecoder: JSONDecoder { JSONDecoder() }

    public func onMessage(_ message: PubSubMessage, context: FunctionContext) async throws {
        let payload = try message.decode(Payload.self, using: self.payloadDecoder)
        try await self.onMessage(payload, message: message, context: context)
    }
}
