import ContrailKit

/// Which function serves a path: every function under `/<name>`, or one function at every path when
/// `FUNCTION_TARGET` names it.
struct FunctionRoutes: Sendable {
    enum Route {
        case health
        case metrics
        case notFound
        /// `subpath` is the path below the mount point, query included, always starting with `/`.
        case function(RegisteredFunction, subpath: String)
    }

    private let functions: [String: RegisteredFunction]
    private let target: RegisteredFunction?

    init(registry: FunctionRegistry, target: String?) throws(ConfigurationError) {
        self.functions = Dictionary(registry.entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        if let target {
            guard let function = registry[target] else {
                let names = registry.entries.map(\.name).sorted().joined(separator: ", ")
                throw ConfigurationError(
                    variable: "FUNCTION_TARGET",
                    value: target,
                    expected: names.isEmpty ? "a registered function (none are registered)" : "one of \(names)"
                )
            }
            self.target = function
        } else {
            self.target = nil
        }
    }

    func route(path fullPath: String) -> Route {
        let path = fullPath.isEmpty ? "/" : fullPath
        let pathOnly = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if pathOnly == "/_/health" { return .health }
        if pathOnly == "/_/metrics" { return .metrics }
        // Cloud Run and browsers ask for these; a function never answers them by accident.
        if pathOnly == "/robots.txt" || pathOnly == "/favicon.ico" || pathOnly.hasPrefix("/_/") { return .notFound }

        if let target { return .function(target, subpath: path) }

        let afterSlash = path.dropFirst()
        let nameEnd = afterSlash.firstIndex { $0 == "/" || $0 == "?" } ?? afterSlash.endIndex
        guard let function = self.functions[String(afterSlash[..<nameEnd])] else { return .notFound }
        let rest = afterSlash[nameEnd...]
        return .function(function, subpath: rest.first == "/" ? String(rest) : "/" + rest)
    }
}
