/// Who sent a push, as its OIDC token says: the service account Pub/Sub signed the token for.
public struct PushIdentity: Sendable, Hashable {
    /// The service account (`email`), verified.
    public let email: String
    /// The account's unique id (`sub`), when the token has one.
    public let subject: String?
    /// The audience the token was issued for (`aud`), its first when it names several.
    public let audience: String?

    public init(email: String, subject: String?, audience: String?) {
        self.email = email
        self.subject = subject
        self.audience = audience
    }
}
