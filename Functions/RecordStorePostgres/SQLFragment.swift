import PostgresNIO

/// A piece of SQL whose values travel as bind parameters, composable before it becomes one `PostgresQuery`.
///
/// Interpolated values always become `$n` parameters; only `\(sql:)` inserts text, for the adapter's own
/// constant identifiers and fragments.
struct SQLFragment: ExpressibleByStringInterpolation {
    fileprivate enum Part {
        case text(String)
        case value(any PostgresThrowingDynamicTypeEncodable)
        case null
    }

    fileprivate var parts: [Part]

    init(stringLiteral value: String) {
        self.parts = [.text(value)]
    }

    init(stringInterpolation: StringInterpolation) {
        self.parts = stringInterpolation.parts
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var parts: [Part] = []

        init(literalCapacity: Int, interpolationCount: Int) {}

        mutating func appendLiteral(_ literal: String) {
            self.parts.append(.text(literal))
        }

        mutating func appendInterpolation(_ value: some PostgresThrowingDynamicTypeEncodable) {
            self.parts.append(.value(value))
        }

        mutating func appendInterpolation(_ value: (some PostgresThrowingDynamicTypeEncodable)?) {
            self.parts.append(value.map { .value($0) } ?? .null)
        }

        mutating func appendInterpolation(sql fragment: SQLFragment) {
            self.parts += fragment.parts
        }
    }

    /// The fragments joined by `separator` (SQL text), e.g. conditions joined by `AND`.
    static func join(_ fragments: [SQLFragment], separator: String) -> SQLFragment {
        var joined = SQLFragment(stringLiteral: "")
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { joined.parts.append(.text(separator)) }
            joined.parts += fragment.parts
        }
        return joined
    }

    /// The statement, numbered `$1…$n` by postgres-nio's own interpolation.
    func query() throws -> PostgresQuery {
        var interpolation = PostgresQuery.StringInterpolation(
            literalCapacity: 256,
            interpolationCount: self.parts.count
        )
        for part in self.parts {
            switch part {
            case .text(let text): interpolation.appendLiteral(text)
            case .value(let value): try interpolation.appendInterpolation(value)
            case .null: interpolation.appendInterpolation(String?.none)
            }
        }
        return PostgresQuery(stringInterpolation: interpolation)
    }
}
