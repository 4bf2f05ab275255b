public import ContrailKit
import HTTPTypes
import Logging
public import RecordStore

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

    /// What feeds `ingest`: the topic `events` through the push subscription `ingest-push`, the production
    /// settings that `contrail dev` creates and `infra/` deploys (`Tests/infra/test_declared_triggers.py` holds
    /// them equal). Retries back off from 10 s to 600 s and a message is dead-lettered after ten attempts, about
    /// 40 minutes of failures, so that a store outage of a few minutes delays messages without dead-lettering
    /// them. The ack deadline, 60 s, is also Pub/Sub's push timeout; the ingest service's request timeout matches it.
    public static let ingestTrigger = MessageTrigger(
        topic: "events",
        subscription: "ingest-push",
        ackDeadline: .seconds(60),
        retryPolicy: MessageTrigger.RetryPolicy(minimumBackoff: .seconds(10), maximumBackoff: .seconds(600)),
        maxDeliveryAttempts: 10
    )

    /// Histogram buckets of the app's own metrics, by name, for a Prometheus metrics factory.
    public static let metricBuckets: [String: [Double]] = IngestMetrics.valueBuckets
}
