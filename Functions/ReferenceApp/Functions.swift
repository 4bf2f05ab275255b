public import ContrailKit
public import RecordStore
import HTTPTypes
import Logging

/// The reference app: `ingest` stores each pushed Pub/Sub message, `query` serves them over HTTP GET.
public enum Functions {
    /// The one place this app's functions are registered.
    ///
    /// The store is migrated once, before the host accepts requests. The host runs every registered function's
    /// start-up hooks whichever one `FUNCTION_TARGET` serves, so the hook on `ingest` also covers a deployment
    /// that serves `query` alone; the migration is idempotent and safe from several instances at once.
    public static func registry(store: any RecordStore) throws(RegistrationError) -> FunctionRegistry {
        let migrate: FunctionOptions.LifecycleHook = { logger in
            try await store.migrate()
            logger.debug("store schema is current")
        }
        var registry = FunctionRegistry()
        try registry.register(
            "ingest",
            IngestFunction(committer: GroupCommitter(store: store)),
            trigger: Self.ingestTrigger,
            options: FunctionOptions(onStartup: migrate)
        )
        // Read-only: the host refuses other methods and any body from the head, before reading an upload.
        try registry.register(
            "query",
            QueryFunction(store: store),
            options: FunctionOptions(methods: [.get, .head], maxRequestBodySize: 0)
        )
        return registry
    }

    /// What feeds `ingest`: the topic `events` through the push subscription `ingest-push`. Retries start at a
    /// second and a message is dead-lettered after five attempts, so that a failing store shows within a minute
    /// on a laptop.
    public static let ingestTrigger = MessageTrigger(
        topic: "events",
        subscription: "ingest-push",
        ackDeadline: .seconds(60),
        retryPolicy: MessageTrigger.RetryPolicy(minimumBackoff: .seconds(1), maximumBackoff: .seconds(60)),
        maxDeliveryAttempts: 5
    )

    /// Histogram buckets of the app's own metrics, by name, for a Prometheus metrics factory.
    public static let metricBuckets: [String: [Double]] = IngestMetrics.valueBuckets
}
