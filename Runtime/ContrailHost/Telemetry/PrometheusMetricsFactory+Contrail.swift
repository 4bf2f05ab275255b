public import Prometheus

extension PrometheusMetricsFactory {
    /// A factory on `registry` with the host's histogram buckets; add an application's own to
    /// `valueHistogramBuckets` and `durationHistogramBuckets` before bootstrapping `MetricsSystem` with it.
    public static func contrail(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[FunctionMetrics.durationName] = FunctionMetrics.durationBuckets
        return factory
    }
}
