public import Prometheus

/// What `/_/metrics` serves: the Prometheus text exposition of a registry.
public struct MetricsExposition: Sendable {
    /// Prometheus's text format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func render() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        self.registry.emit(into: &buffer)
        return buffer
    }
}
