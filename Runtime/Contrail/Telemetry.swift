import ContrailHost
import Logging
import Metrics
import OTel
import Prometheus
import ServiceLifecycle

/// The process's metrics and traces: Prometheus metrics always (served at `/_/metrics`), OTLP traces only when
/// an OTLP endpoint is configured, so a laptop run exports nothing and needs no collector.
struct Telemetry {
    let metrics: MetricsExposition
    /// Exports finished spans; run it first in the service group so that it stops last and flushes them.
    let tracing: (any Service)?

    static let endpointVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]

    static func isTracing(_ environment: [String: String]) -> Bool {
        Self.endpointVariables.contains { !(environment[$0] ?? "").isEmpty }
    }

    /// Puts the current span's ids into every log line, when tracing; for bootstrapping `LoggingSystem`.
    static func logMetadata(_ environment: [String: String]) -> Logger.MetadataProvider? {
        Self.isTracing(environment) ? OTel.makeLoggingMetadataProvider() : nil
    }

    /// Bootstraps `MetricsSystem` and, with an OTLP endpoint set, `InstrumentationSystem`; call once per process.
    ///
    /// Call after `LoggingSystem` is bootstrapped: the exporter's own messages go to `logger`, as structured
    /// lines at notice and above, not as free text on stdout.
    static func bootstrap(
        environment: [String: String],
        buckets: FunctionApplication.MetricBuckets,
        logger: Logger
    ) throws -> Telemetry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory.contrail(registry: registry)
        factory.valueHistogramBuckets.merge(buckets.values) { $1 }
        factory.durationHistogramBuckets.merge(buckets.durations) { $1 }
        MetricsSystem.bootstrap(factory)

        guard Self.isTracing(environment) else {
            return Telemetry(metrics: MetricsExposition(registry: registry), tracing: nil)
        }
        var configuration = OTel.Configuration.default
        // Metrics stay with Prometheus and logs with stdout, where Cloud Run collects them.
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.enabled = true
        configuration.serviceName = environment["OTEL_SERVICE_NAME"] ?? environment["K_SERVICE"] ?? "contrail"
        var diagnostics = logger
        diagnostics.logLevel = max(logger.logLevel, .notice)
        configuration.diagnosticLogger = .custom(diagnostics)
        let service = try OTel.bootstrap(configuration: configuration, environment: environment)
        return Telemetry(metrics: MetricsExposition(registry: registry), tracing: service)
    }

    /// The tracing exporter, if any, ahead of `services`.
    func services(_ services: [any Service]) -> [any Service] {
        (self.tracing.map { [$0] } ?? []) + services
    }
}
