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
                context.purpose == .describing ? [AnalyticsStore.variable: "sqlite::memory:"] : context.environment
            let analytics = try AnalyticsStore(environment: environment, logger: context.logger)
            return FunctionApplication.Setup(
                registry: try Functions.registry(store: analytics.store),
                services: analytics.services,
                healthChecks: [StoreHealthCheck(store: analytics.store)]
            )
        }
        await application.run()
    }
}
