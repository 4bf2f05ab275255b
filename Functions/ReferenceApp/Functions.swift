public import ContrailKit
public import RecordStore
import Logging

/// The reference app: `ingest` stores each pushed Pub/Sub message, `query` serves them over HTTP GET.
public enum Functions {
    /// The one place this app's functions are registered.
    ///
    /// Both functions migrate the store before the host accepts requests, so either can be deployed alone; the
    /// migration is idempotent and safe to run from several instances at once.
    public static func registry(store: any RecordStore) throws(RegistrationError) -> FunctionRegistry {
        let migrate: FunctionOptions.LifecycleHook = { logger in
            try await store.migrate()
            logger.debug("store schema is current")
        }
        var registry = FunctionRegistry()
        try registry.register(
            "ingest",
            IngestFunction(committer: GroupCommitter(store: store)),
            options: FunctionOptions(onStartup: migrate)
        )
        try registry.register("query", QueryFunction(store: store), options: FunctionOptions(onStartup: migrate))
        return registry
    }
}
