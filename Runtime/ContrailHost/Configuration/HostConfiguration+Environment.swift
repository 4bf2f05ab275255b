import Configuration
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension HostConfiguration {
    /// Reads the configuration from environment variables.
    ///
    /// - Parameter environment: the variables, usually `ProcessInfo.processInfo.environment`.
    /// - Throws: ``ConfigurationError`` naming the first variable whose value is invalid; nothing falls back to a
    ///   default silently.
    public init(environment: [String: String]) throws(ConfigurationError) {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        func value(_ name: String) -> String? {
            let key = ConfigKey(name.lowercased().split(separator: "_").map(String.init))
            guard let text = reader.string(forKey: key), !text.isEmpty else { return nil }
            return text
        }

        self.init()
        if let text = value("PORT") {
            guard let port = Int(text), (0...65535).contains(port) else {
                throw ConfigurationError(
                    variable: "PORT",
                    value: text,
                    expected: "a port number from 0 to 65535 (0 picks a free port)"
                )
            }
            self.port = port
        }
        self.functionTarget = value("FUNCTION_TARGET")

        let kService = value("K_SERVICE")
        if let text = value("LOG_FORMAT") {
            guard let format = LogFormat(rawValue: text.lowercased()) else {
                throw ConfigurationError(variable: "LOG_FORMAT", value: text, expected: "'json' or 'text'")
            }
            self.logFormat = format
        } else {
            self.logFormat = kService == nil ? .text : .json
        }
        if let text = value("LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigurationError(variable: "LOG_LEVEL", value: text, expected: "one of \(levels)")
            }
            self.logLevel = level
        }
        for name in ["K_SERVICE", "K_REVISION", "K_CONFIGURATION"] {
            if let label = value(name) { self.logLabels[name.lowercased()] = label }
        }
        self.projectID = value("GOOGLE_CLOUD_PROJECT")
        if let text = value("CLOUD_RUN_TIMEOUT_SECONDS") {
            guard let seconds = Int(text), (1...3600).contains(seconds) else {
                throw ConfigurationError(
                    variable: "CLOUD_RUN_TIMEOUT_SECONDS",
                    value: text,
                    expected: "a whole number of seconds from 1 to 3600"
                )
            }
            self.requestTimeout = .seconds(seconds)
        }
        if let text = value("HTTP_IDLE_TIMEOUT_SECONDS") {
            guard let seconds = Int(text), (1...3600).contains(seconds) else {
                throw ConfigurationError(
                    variable: "HTTP_IDLE_TIMEOUT_SECONDS",
                    value: text,
                    expected: "a whole number of seconds from 1 to 3600"
                )
            }
            self.idleTimeout = .seconds(seconds)
        }
        if let text = value("MAX_BUFFERED_REQUEST_BYTES") {
            guard let bytes = Int(text), bytes >= self.maxRequestBodySize else {
                throw ConfigurationError(
                    variable: "MAX_BUFFERED_REQUEST_BYTES",
                    value: text,
                    expected: "a whole number of bytes, at least the request body limit of \(self.maxRequestBodySize)"
                )
            }
            self.maxBufferedRequestBodyBytes = bytes
        }
        self.pushAuthentication = try PushAuthentication(
            mode: value("PUSH_AUTH"),
            audience: value("PUSH_AUDIENCE"),
            serviceAccounts: value("PUSH_SERVICE_ACCOUNTS"),
            jwksURL: value("PUSH_JWKS_URL")
        )
    }
}

extension PushAuthentication {
    /// Reads the `PUSH_*` variables' values, `nil` where unset.
    init(mode: String?, audience: String?, serviceAccounts: String?, jwksURL: String?) throws(ConfigurationError) {
        self.init()
        if let mode {
            guard let parsed = Mode(rawValue: mode.lowercased()) else {
                throw ConfigurationError(variable: "PUSH_AUTH", value: mode, expected: "'none', 'platform' or 'oidc'")
            }
            self.mode = parsed
        }
        if let audience {
            self.audiences = Set(
                audience.split(separator: ",").map { $0.filter { $0 != " " && $0 != "\t" } }.filter {
                    !$0.isEmpty
                }
            )
        }
        if let serviceAccounts {
            let emails = serviceAccounts.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.filter { $0 != " " && $0 != "\t" } }
            guard emails.allSatisfy({ Self.isEmail($0) }) else {
                throw ConfigurationError(
                    variable: "PUSH_SERVICE_ACCOUNTS",
                    value: serviceAccounts,
                    expected: "comma-separated service account emails, e.g. "
                        + "push@my-project.iam.gserviceaccount.com,other@my-project.iam.gserviceaccount.com"
                )
            }
            self.serviceAccounts = Set(emails)
        }
        if let jwksURL {
            guard let url = URL(string: jwksURL), Self.isHTTPURL(url) else {
                throw ConfigurationError(
                    variable: "PUSH_JWKS_URL",
                    value: jwksURL,
                    expected: "an http:// or https:// URL with a host, e.g. \(Self.googleJWKSURL.absoluteString)"
                )
            }
            self.jwksURL = url
        }
        try self.validate()
    }

    /// One `@`, with something on either side.
    private static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
    }
}

/// An environment variable with a value the host cannot use.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let variable: String
    public let value: String
    public let expected: String

    public init(variable: String, value: String, expected: String) {
        self.variable = variable
        self.value = value
        self.expected = expected
    }

    public var description: String { "\(self.variable)='\(self.value)' is invalid: expected \(self.expected)" }
}
