package import PostgresNIO
package import RecordStore

/// A `postgres://` or `postgresql://` URL, parsed as libpq reads it, for the forms Contrail documents:
///
/// - `postgres://user:pass@host:port/db`: TCP, port 5432 unless given;
/// - `postgres://user:pass@/db?host=/cloudsql/PROJECT:REGION:INSTANCE`: the unix socket
///   `<host>/.s.PGSQL.<port>`, as Cloud SQL mounts it into Cloud Run (a percent-encoded `/…` host works too);
/// - `?sslmode=require` (or `verify-ca`, `verify-full`) requires TLS, `prefer`/`allow` try it; otherwise it is off.
///
/// User, password and database are percent-decoded. ``description`` never shows the password.
package struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    package enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    package enum TLSMode: Sendable, Hashable {
        case disable, prefer, require, verifyCA, verifyFull
    }

    package var endpoint: Endpoint
    package var username: String
    package var password: String?
    /// `nil` connects to the database named after the user, as libpq does.
    package var database: String?
    package var tls: TLSMode
    /// The most connections the pool opens; `nil` keeps postgres-nio's default. Not part of the URL: the URL is
    /// one secret shared by services whose pools must be sized apart (`DATABASE_POOL_SIZE`).
    package var poolSize: Int?

    /// The largest pool ``poolSize(_:)`` accepts, above the connection limit of any Cloud SQL tier's default.
    package static let maximumPoolSize = 1000

    /// - Throws: ``StoreError`` with `.invalidConfiguration`, naming what is wrong (never the password).
    package init(_ text: String) throws(StoreError) {
        guard let schemeEnd = text.firstRange(of: "://"),
            ["postgres", "postgresql"].contains(text[..<schemeEnd.lowerBound].lowercased())
        else {
            throw Self.invalid("it must start with postgres:// or postgresql://")
        }
        var rest = text[schemeEnd.upperBound...]
        var queryText: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count).drop { $0 == "/" }

        // The password may hold an unencoded "@"; the host never does.
        var hostPort = authority
        var userInfo: Substring = ""
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
        }
        let rawUser = userInfo.prefix { $0 != ":" }
        let username = try Self.decode(rawUser, naming: "the user name")
        guard !username.isEmpty else { throw Self.invalid("it names no user (postgres://user:password@host/db)") }
        self.username = username
        self.password =
            userInfo.count > rawUser.count
            ? try Self.decode(userInfo.dropFirst(rawUser.count + 1), naming: "the password") : nil
        let database = try Self.decode(path, naming: "the database name")
        self.database = database.isEmpty ? nil : database

        var host: String?
        var port: Int?
        if hostPort.hasPrefix("[") {  // [IPv6]:port
            guard let close = hostPort.firstIndex(of: "]") else { throw Self.invalid("the IPv6 host has no closing ]") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Self.invalid("unexpected \(after) after the IPv6 host") }
                port = try Self.port(after.dropFirst())
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = try Self.decode(hostPort[..<colon], naming: "the host")
            port = try Self.port(hostPort[hostPort.index(after: colon)...])
        } else if !hostPort.isEmpty {
            host = try Self.decode(hostPort, naming: "the host")
        }

        var sslMode = "disable"
        for pair in queryText.split(separator: "&") where !pair.isEmpty {
            let rawName = pair.prefix { $0 != "=" }
            let name = try Self.decode(rawName, naming: "a query parameter name")
            let value = try Self.decode(pair.dropFirst(rawName.count + 1), naming: "the value of \(name)")
            switch name {
            case "host": host = value
            case "port": port = try Self.port(Substring(value))
            case "sslmode": sslMode = value
            case "dbname": self.database = value.isEmpty ? nil : value
            case "user":
                guard !value.isEmpty else { throw Self.invalid("the user parameter is empty") }
                self.username = value
            case "password": self.password = value
            default:
                throw Self.invalid(
                    "unsupported query parameter \"\(name)\" (supported: host, port, sslmode, dbname, user, password)"
                )
            }
        }
        switch sslMode {
        case "disable": self.tls = .disable
        case "allow", "prefer": self.tls = .prefer
        case "require": self.tls = .require
        case "verify-ca": self.tls = .verifyCA
        case "verify-full": self.tls = .verifyFull
        default:
            throw Self.invalid(
                "sslmode=\(sslMode) is not one of disable, allow, prefer, require, verify-ca, verify-full"
            )
        }

        guard let host, !host.isEmpty else {
            throw Self.invalid(
                "it names no host (postgres://user:password@host:5432/db, or ?host=/cloudsql/… for a socket)"
            )
        }
        if host.hasPrefix("/") {
            guard self.tls == .disable || self.tls == .prefer else {
                throw Self.invalid("sslmode=\(sslMode) cannot be used with the unix socket \(host)")
            }
            let directory = host.hasSuffix("/") ? String(host.dropLast()) : host
            self.endpoint = .unixSocket(path: "\(directory)/.s.PGSQL.\(port ?? 5432)")
        } else {
            self.endpoint = .tcp(host: host, port: port ?? 5432)
        }
    }

    /// The URL's meaning without the password, for messages and logs.
    package var description: String {
        let database = self.database ?? self.username
        switch self.endpoint {
        case .tcp(let host, let port): return "database \"\(database)\" at \(host):\(port) as user \"\(self.username)\""
        case .unixSocket(let path): return "database \"\(database)\" on socket \(path) as user \"\(self.username)\""
        }
    }

    /// The pool's configuration.
    package var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch self.endpoint {
        case .tcp(let host, let port):
            configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: self.username,
                password: self.password,
                database: self.database,
                tls: self.clientTLS
            )
        case .unixSocket(let path):
            configuration = PostgresClient.Configuration(
                unixSocketPath: path,
                username: self.username,
                password: self.password,
                database: self.database
            )
        }
        configuration.options.connectTimeout = .seconds(5)
        if let poolSize = self.poolSize {
            configuration.options.maximumConnections = poolSize
        }
        return configuration
    }

    /// A pool size as `DATABASE_POOL_SIZE` gives it: a whole number of connections from 1 to
    /// ``maximumPoolSize``.
    /// - Throws: ``StoreError`` with `.invalidConfiguration`, naming the variable and the value.
    package static func poolSize(_ text: String) throws(StoreError) -> Int {
        guard let size = Int(text), (1...Self.maximumPoolSize).contains(size) else {
            throw StoreError(
                .invalidConfiguration,
                "DATABASE_POOL_SIZE=\(text) is not a whole number of connections from 1 to \(Self.maximumPoolSize)"
            )
        }
        return size
    }

    /// The configuration of a single connection outside the pool (migrations, diagnosis, tests).
    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch self.endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            switch self.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: self.tlsConfiguration))
            case .require, .verifyCA, .verifyFull:
                tls = .require(try NIOSSLContext(configuration: self.tlsConfiguration))
            }
            configuration = PostgresConnection.Configuration(
                host: host,
                port: port,
                username: self.username,
                password: self.password,
                database: self.database,
                tls: tls
            )
        case .unixSocket(let path):
            configuration = PostgresConnection.Configuration(
                unixSocketPath: path,
                username: self.username,
                password: self.password,
                database: self.database
            )
        }
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch self.tls {
        case .disable: .disable
        case .prefer: .prefer(self.tlsConfiguration)
        case .require, .verifyCA, .verifyFull: .require(self.tlsConfiguration)
        }
    }

    /// swift-nio-ssl's client defaults, which verify the server's certificate and name (stricter than libpq's
    /// `require`, which only encrypts); `verify-ca` skips the name check.
    private var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if self.tls == .verifyCA { configuration.certificateVerification = .noHostnameVerification }
        return configuration
    }

    private static func invalid(_ reason: String) -> StoreError {
        StoreError(.invalidConfiguration, "DATABASE_URL is not a usable PostgreSQL URL: \(reason)")
    }

    private static func port(_ text: Substring) throws(StoreError) -> Int? {
        if text.isEmpty { return nil }
        guard let port = Int(text), (1...65_535).contains(port) else {
            throw Self.invalid("the port \"\(text)\" is not a number from 1 to 65535")
        }
        return port
    }

    /// Percent-decoding as in RFC 3986; `what` names the part in the error, whose value is never shown.
    private static func decode(_ text: Substring, naming what: String) throws(StoreError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else {
                throw Self.invalid("\(what) has a % that is not followed by two hexadecimal digits")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw Self.invalid("\(what) is not UTF-8 once percent-decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
