import Logging
import PostgresNIO
import RecordStore

extension PostgresRecordStore {
    /// Runs `body`, turning every driver error into a ``StoreError`` a person can act on.
    func translatingErrors<T>(_ action: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw await self.storeError(from: error, while: action)
        }
    }

    /// The ``StoreError`` for a driver error: `.unavailable` when PostgreSQL cannot be reached or refuses the
    /// connection, `.unexpected` otherwise. Messages never contain the password.
    func storeError(from error: any Error, while action: String) async -> any Error {
        switch error {
        case let error as StoreError: return error
        case is CancellationError: return error
        case let error as PostgresTransactionError:
            let inner = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
            return await self.storeError(from: inner ?? error, while: action)
        default:
            break
        }
        guard error is PSQLError || error is PostgresDecodingError else {
            // PostgresClient documents PSQLError and PostgresDecodingError for what PostgreSQL and the wire say;
            // anything else comes from beneath the queries: in practice its pool, which gives up after a minute of
            // failed attempts without saying why. One direct attempt does.
            return await self.diagnose(prefix: "could not get a connection for \(action)")
        }
        return Self.translate(error, url: self.url, while: action)
    }

    /// Opens one connection outside the pool to find out why the pool cannot.
    func diagnose(prefix: String) async -> StoreError {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: self.url.connectionConfiguration(),
                id: 0,
                logger: self.logger
            )
            try? await connection.close()
            return StoreError(
                .unavailable,
                "\(prefix): PostgreSQL (\(self.url)) accepts connections, but the pool had none to give in time "
                    + "(all busy, or still reconnecting after an outage); retry"
            )
        } catch {
            let reason = Self.translate(error, url: self.url, while: "connecting")
            return StoreError(.unavailable, "\(prefix): \(reason.message)")
        }
    }

    static func translate(_ error: any Error, url: PostgresURL, while action: String) -> StoreError {
        let (code, message) = Self.describe(error, url: url, while: action)
        var text = message
        if let password = url.password, password.count >= 3 {
            text = text.replacing(password, with: "***")
        }
        return StoreError(code, text)
    }

    private static func describe(
        _ error: any Error,
        url: PostgresURL,
        while action: String
    ) -> (StoreError.Code, String) {
        if let error = error as? PostgresDecodingError {
            return (
                .unexpected,
                "PostgreSQL answered \(action) with a column of an unexpected type "
                    + "(\(error.columnName), \(error.postgresType)); is the schema newer than this program?"
            )
        }
        guard let error = error as? PSQLError else {
            return (.unexpected, "\(action) failed against PostgreSQL (\(url)): \(error)")
        }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        switch error.code {
        case .server:
            return Self.describeServerError(error, url: url, while: action)
        case .connectionError:
            return (
                .unavailable,
                "cannot connect to PostgreSQL (\(url))\(underlying); check that the server is "
                    + "running and that DATABASE_URL names the right host and port"
            )
        case .sslUnsupported:
            return (.unavailable, "PostgreSQL (\(url)) does not offer TLS, which sslmode in DATABASE_URL requires")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return (.unavailable, "TLS with PostgreSQL (\(url)) failed\(underlying)")
        case .authMechanismRequiresPassword:
            return (.unavailable, "PostgreSQL (\(url)) asks for a password; add one to DATABASE_URL")
        case .unsupportedAuthMechanism:
            return (
                .unavailable,
                "PostgreSQL (\(url)) asks for an authentication method this driver does not "
                    + "support; use scram-sha-256, md5 or password"
            )
        case .saslError:
            return (
                .unavailable,
                "SCRAM authentication with PostgreSQL (\(url)) failed\(underlying); check the "
                    + "user and password in DATABASE_URL"
            )
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return (.unavailable, "the connection to PostgreSQL (\(url)) closed during \(action)\(underlying)")
        case .queryCancelled:
            return (.unavailable, "\(action) was cancelled before PostgreSQL (\(url)) answered")
        default:
            return (.unexpected, "\(action) failed against PostgreSQL (\(url)): \(error.code)\(underlying)")
        }
    }

    private static func describeServerError(
        _ error: PSQLError,
        url: PostgresURL,
        while action: String
    ) -> (StoreError.Code, String) {
        let info = error.serverInfo
        let state = info?[.sqlState] ?? "?????"
        var text = info?[.message] ?? "an error without a message"
        if let detail = info?[.detail] { text += " (\(detail))" }
        if let hint = info?[.hint] { text += "; hint: \(hint)" }
        switch state.prefix(2) {
        case "28":  // invalid authorization
            return (
                .unavailable,
                "PostgreSQL (\(url)) refused the login: \(text); check the user and password in "
                    + "DATABASE_URL"
            )
        case "3D":  // invalid catalog name
            return (
                .unavailable,
                "PostgreSQL (\(url)) refused the database: \(text); create it or fix the "
                    + "database name in DATABASE_URL"
            )
        case "08", "40", "53", "57":  // connection exception, rollback (deadlock, serialization), resources, operator
            return (.unavailable, "PostgreSQL (\(url)) is not available for \(action): \(text) [SQLSTATE \(state)]")
        default:
            return (.unexpected, "PostgreSQL (\(url)) rejected \(action): \(text) [SQLSTATE \(state)]")
        }
    }
}
