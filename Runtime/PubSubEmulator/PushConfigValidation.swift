import Foundation
import PubSubProtocol

/// Validates a push configuration as Google does.
enum PushConfigValidation {
    /// - Parameter allowsRemoteEndpoints: whether the endpoint may be outside loopback
    ///   (``LocalPubSub/Configuration/allowsRemotePushEndpoints``).
    static func validate(
        _ push: inout Google_Pubsub_V1_PushConfig,
        at path: String,
        allowsRemoteEndpoints: Bool
    ) throws(PubSubError) {
        let endpoint = push.pushEndpoint
        if !endpoint.isEmpty {
            guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(),
                ["http", "https"].contains(scheme), !(url.host ?? "").isEmpty
            else {
                throw .invalid(
                    "Invalid push endpoint given (endpoint=\(endpoint)). Refer to "
                        + "https://cloud.google.com/pubsub/docs/push#configure_push_delivery for more information."
                )
            }
            guard allowsRemoteEndpoints || LoopbackAddress.isLoopback(host: url.host ?? "") else {
                throw .invalid(
                    "Invalid \(path).pushEndpoint: the local Pub/Sub service pushes only to localhost, 127.0.0.1 or "
                        + "[::1] (endpoint=\(endpoint)); `contrail dev --allow-remote-push-endpoints` lifts this."
                )
            }
            // Google echoes the push format version it assumes.
            if push.attributes["x-goog-version"] == nil { push.attributes["x-goog-version"] = "v1" }
        }
        if case .oidcToken(let token)? = push.authenticationMethod {
            let email = token.serviceAccountEmail
            guard email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@") else {
                throw .invalid("Invalid \(path).oidcToken.serviceAccountEmail: a service account email is required.")
            }
        }
    }
}
