import GRPCCore
import PubSubProtocol

extension PubSubError {
    /// The gRPC status Google answers where its REST API answers this error.
    var rpcError: RPCError {
        let code: RPCError.Code =
            switch self.status {
            case "INVALID_ARGUMENT": .invalidArgument
            case "NOT_FOUND": .notFound
            case "ALREADY_EXISTS": .alreadyExists
            case "PERMISSION_DENIED": .permissionDenied
            case "FAILED_PRECONDITION": .failedPrecondition
            case "UNAVAILABLE": .unavailable
            case "INTERNAL": .internalError
            default: .unknown
            }
        return RPCError(code: code, message: self.message)
    }
}

/// Runs one operation of ``PubSubAPI`` for a gRPC call, its refusal becoming the matching status.
func answering<Response: Sendable>(
    _ operation: () async throws(PubSubError) -> Response
) async throws(RPCError)
    -> Response
{
    do {
        return try await operation()
    } catch {
        throw error.rpcError
    }
}
