/// Where the analytics store is, as `DATABASE_URL` names it.
public enum DatabaseURL: Sendable, Hashable {
    /// `sqlite:<path>` or `sqlite::memory:`, optionally followed by `?synchronous=normal`.
    case sqlite(path: String, synchronous: SQLiteSynchronous)
    /// `postgres://` or `postgresql://` URLs, kept whole for the adapter to parse.
    case postgres(String)

    /// The embedded default.
    public static let `default` = DatabaseURL.sqlite(path: "contrail.sqlite", synchronous: .full)

    /// - Throws: ``StoreError`` with `.invalidConfiguration` for any other scheme or option.
    public init(_ text: String) throws(StoreError) {
        if text.hasPrefix("sqlite:") {
            var path = Substring(text.dropFirst("sqlite:".count))
            var synchronous = SQLiteSynchronous.full
            if let question = path.lastIndex(of: "?") {
                let option = path[path.index(after: question)...]
                path = path[..<question]
                guard option.hasPrefix("synchronous="),
                    let value = SQLiteSynchronous(rawValue: String(option.dropFirst("synchronous=".count)).lowercased())
                else {
                    throw StoreError(
                        .invalidConfiguration,
                        "sqlite:<path> with no option or with ?synchronous=full or ?synchronous=normal, not ?\(option)"
                    )
                }
                synchronous = value
            }
            guard !path.isEmpty else {
                throw StoreError(
                    .invalidConfiguration,
                    "a path after sqlite:, e.g. sqlite:contrail.sqlite or sqlite::memory:"
                )
            }
            self = .sqlite(path: String(path.hasPrefix("//") ? path.dropFirst(2) : path), synchronous: synchronous)
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

/// When an embedded store's commit reaches the disk, as SQLite's `synchronous` setting says.
public enum SQLiteSynchronous: String, Sendable, Hashable {
    /// Every commit is on the disk before it returns: an acknowledged record survives a crash of the machine.
    case full
    /// Commits reach the disk at the next checkpoint: an acknowledged record survives a crash of the process, but
    /// the last ones can be lost if the machine fails.
    case normal
}
