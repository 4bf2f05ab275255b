import ContrailKit
import HTTPTypes
import Synchronization

/// Whether the host should be sent traffic: not while draining, not while a dependency is unreachable.
public final class HostHealth: Sendable {
    private let draining = Atomic<Bool>(false)
    private let checks: [any HealthCheck]

    public init(checks: [any HealthCheck] = []) {
        self.checks = checks
    }

    public var isDraining: Bool { self.draining.load(ordering: .relaxed) }

    func beginDraining() { self.draining.store(true, ordering: .relaxed) }

    /// `nil` when healthy, else the reason it is not.
    func problem() async -> String? {
        if self.isDraining { return "draining: the host is shutting down" }
        for check in self.checks {
            do {
                try await check.check()
            } catch {
                return "\(error)"
            }
        }
        return nil
    }

    /// 200 with `{"status":"ok"}`, or 503 with the reason.
    func response() async -> FunctionResponse {
        let members = await self.problem().map { ["status": "unavailable", "reason": $0] } ?? ["status": "ok"]
        let status: HTTPResponse.Status = members["status"] == "ok" ? .ok : .serviceUnavailable
        return (try? FunctionResponse.json(members, status: status)) ?? FunctionResponse(status: status)
    }
}
