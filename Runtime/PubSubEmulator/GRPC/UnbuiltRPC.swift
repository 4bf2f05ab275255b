import GRPCCore

/// RPCs the local service does not offer yet answer at once, naming themselves, rather than leave a client waiting.
enum UnbuiltRPC {
    static func error(_ rpc: String) -> RPCError {
        RPCError(code: .unimplemented, message: "\(rpc) is not implemented by the local Pub/Sub service yet.")
    }
}
