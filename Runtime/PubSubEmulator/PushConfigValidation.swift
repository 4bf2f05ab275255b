import Foundation

/// Validates a `PushConfig` body as Google does; an empty one means a pull subscription.
enum PushConfigValidation {
    static let knownFields: Set<String> = ["pushEndpoint", "attributes", "oidcToken", "pubsubWrapper", "noWrapper"]

    /// The fields to store, or `nil` for an empty config.
    ///
    /// - Parameter allowsRemoteEndpoints: whether the endpoint may be outside loopback
    ///   (``PubSubEmulator/Configuration/allowsRemotePushEndpoints``).
    static func validate(
        _ push: JSONObject, at path: String, allowsRemoteEndpoints: Bool
    ) throws(PubSubError) -> [String: Any]? {
        if push.fields.isEmpty { return nil }
        try push.requireKnown(Self.knownFields, at: path)
        let endpoint = try ProtoJSON.string(push["pushEndpoint"], field: "\(path).pushEndpoint") ?? ""
        if !endpoint.isEmpty {
            guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                !(url.host ?? "").isEmpty
            else {
                throw .invalid("Invalid push endpoint given (endpoint=\(endpoint)). Refer to https://cloud.google.com/pubsub/docs/push#configure_push_delivery for more information.")
            }
            guard allowsRemoteEndpoints || LoopbackAddress.isLoopback(host: url.host ?? "") else {
                throw .invalid(
                    "Invalid \(path).pushEndpoint: the local Pub/Sub service pushes only to localhost, 127.0.0.1 or "
                        + "[::1] (endpoint=\(endpoint)); `contrail dev --allow-remote-push-endpoints` lifts this."
                )
            }
        }
        if push["oidcToken"] != nil {
            let token = try JSONObject(push["oidcToken"], field: "\(path).oidcToken")
            try token.requireKnown(["serviceAccountEmail", "audience"], at: "\(path).oidcToken")
            let email = try ProtoJSON.string(token["serviceAccountEmail"], field: "\(path).oidcToken.serviceAccountEmail") ?? ""
            guard email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@") else {
                throw .invalid("Invalid \(path).oidcToken.serviceAccountEmail: a service account email is required.")
            }
            _ = try ProtoJSON.string(token["audience"], field: "\(path).oidcToken.audience")
        }
        if push["noWrapper"] != nil {
            let noWrapper = try JSONObject(push["noWrapper"], field: "\(path).noWrapper")
            try noWrapper.requireKnown(["writeMetadata"], at: "\(path).noWrapper")
            _ = try ProtoJSON.bool(noWrapper["writeMetadata"], field: "\(path).noWrapper.writeMetadata")
            if push["pubsubWrapper"] != nil {
                throw .invalid("Invalid \(path): only one of pubsubWrapper and noWrapper may be set.")
            }
        }
        return push.fields.filter { !($0.value is NSNull) }
    }
}
