import GRPCCore

/// The resource names gRPC requests carry, checked before they reach the operations the REST API shares.
enum GRPCResourceName {
    /// `projects/{project}/{collection}/{id}`, or INVALID_ARGUMENT in Google's words.
    static func check(_ name: String, collection: String) throws(RPCError) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "projects", parts[2] == collection, !parts[1].isEmpty, !parts[3].isEmpty
        else { throw Self.invalid(name) }
    }

    /// `projects/{project}`.
    static func checkProject(_ name: String) throws(RPCError) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "projects", !parts[1].isEmpty else { throw Self.invalid(name) }
    }

    private static func invalid(_ name: String) -> RPCError {
        RPCError(
            code: .invalidArgument,
            message: "Invalid resource name given (name=\(name)). Refer to "
                + "https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names for more information."
        )
    }
}
