import PostgresNIO
package import RecordStore

extension PostgresRecordStore {
    /// The plan PostgreSQL chooses for `shape`, as `EXPLAIN` prints it.
    ///
    /// Sequential scans are disabled for the transaction: on the tiny tables of a test they always look cheapest,
    /// and the question is whether an index *can* serve the shape, as it must once the tables are large.
    package func explain(_ shape: QueryShape) async throws -> String {
        let example = shape.example
        let statement: SQLFragment
        switch shape {
        case .recordByID:
            statement = PostgresStatements.byID("m", subscription: nil)
        case .statsByHourGroupedByAttribute:
            statement = PostgresStatements.stats(example.filter, bucket: .hour, groupBy: example.groupBy, limit: 100)
        case .listUnfiltered, .listAfterPosition, .listByAttribute, .listByTwoAttributes, .listByOrderingKey,
            .listBySubscription, .listByTimeRange:
            statement = PostgresStatements.list(example.filter, after: example.after, limit: 100)
        }
        let explain = try SQLFragment("EXPLAIN \(sql: statement)").query()
        return try await self.withConnection("explaining \(shape)") { connection in
            try await connection.withTransaction(logger: self.logger) { connection in
                try await connection.run("SET LOCAL enable_seqscan = off", logger: self.logger)
                var lines: [String] = []
                for try await line in try await connection.query(explain, logger: self.logger).decode(String.self) {
                    lines.append(line)
                }
                return lines.joined(separator: "\n")
            }
        }
    }
}
