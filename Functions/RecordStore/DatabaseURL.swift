/// Where the analytics store is, as `DATABASE_URL` names it.
public enum DatabaseURL: Sendable, Hashable {
    /// `sqlite:<path>` or `sqlite::memory:`.
    case sqlite(path: String)
    /// `postgres://` or `postgresql://` URLs, kept whole for the adapter to parse.
    case postgres(String)

    /// The embedded default.
    public static let `default` = DatabaseURL.sqlite(path: "contrail.sqlite")

    /// - Throws: ``StoreError`` with `.invalidConfiguration` for any other scheme.
    public init(_ text: String) throws(StoreError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw StoreError(.invalidConfiguration, "a path after sqlite:, e.g. sqlite:contrail.sqlite or sqlite::memory:")
            }
            self = .sqlite(path: path.hasPrefix("//") ? String(path.dropFirst(2)) : path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(text)
        } else {
            throw StoreError(
                .invalidConfiguration,
                "sqlite:<path>, sqlite::memory: or postgres://user:pass@host:port/db"
            )
        }
    }
}
