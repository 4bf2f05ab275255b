/// Something the host must be able to reach to serve, such as a database; `/_/health` answers 503 while any
/// check throws.
public protocol HealthCheck: Sendable {
    /// Throws with a reason a person can read when the dependency is unreachable.
    func check() async throws
}
