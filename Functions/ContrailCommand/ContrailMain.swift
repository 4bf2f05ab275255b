import Contrail
import Functions
import RecordStore

/// `contrail`: the reference app, on the store `DATABASE_URL` names.
@main
struct ContrailMain {
    static func main() async {
        let application = FunctionApplication(
            metricBuckets: FunctionApplication.MetricBuckets(
                values: Functions.metricBuckets.merging(InstrumentedRecordStore.valueBuckets) { $1 },
                durations: InstrumentedRecordStore.durationBuckets
            )
        ) { context in
            // `describe` reads the registry alone: an in-memory store stands in, so that DATABASE_URL's store is
            // neither created, opened nor connected to.
            let environment =
                context.purpose == .describing
                ? [ConfiguredRecordStore.variable: "sqlite::memory:"] : context.environment
            let configured = try ConfiguredRecordStore(environment: environment, logger: context.logger)
            return FunctionApplication.Setup(
                registry: try Functions.registry(store: configured.store),
                services: configured.services,
                healthChecks: [StoreHealthCheck(store: configured.store)]
            )
        }
        await application.run()
    }
}
