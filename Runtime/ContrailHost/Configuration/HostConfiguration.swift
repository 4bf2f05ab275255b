public import Logging

/// Everything the host reads from its environment, read once at start.
public struct HostConfiguration: Sendable {
    public enum LogFormat: String, Sendable {
        /// Cloud Logging structured lines, one JSON object per line.
        case json
        case text
    }

    /// The port the host binds on every interface (`PORT`).
    public var port: Int = 8080
    /// The address the host binds; Cloud Run requires all interfaces.
    public var bindAddress: String = "0.0.0.0"
    /// Serve only this function, at every path (`FUNCTION_TARGET`).
    public var functionTarget: String?
    public var logFormat: LogFormat = .text
    public var logLevel: Logger.Level = .info
    /// Added to every structured log line (`K_SERVICE`, `K_REVISION`, `K_CONFIGURATION`).
    public var logLabels: [String: String] = [:]
    /// Qualifies trace ids in log lines as `projects/<id>/traces/<trace>` (`GOOGLE_CLOUD_PROJECT`).
    public var projectID: String?
    /// How long an invocation may run before the host answers 504 (`CLOUD_RUN_TIMEOUT_SECONDS`, as Google's
    /// functions frameworks read it; Cloud Run's default request timeout is 300 s).
    public var requestTimeout: Duration = .seconds(300)
    /// How long a connection may stay silent before the host closes it (`HTTP_IDLE_TIMEOUT_SECONDS`). Above the
    /// 600 s for which Google's front ends keep idle connections to a backend, so the host never closes one they
    /// are about to reuse; it bounds what silent or stalled clients can hold.
    public var idleTimeout: Duration = .seconds(620)
    /// Cloud Run's HTTP/1 request limit.
    public var maxRequestBodySize: Int = 32 * 1024 * 1024
    /// The bytes of request bodies all connections together may hold while they arrive and while their
    /// invocations run (`MAX_BUFFERED_REQUEST_BYTES`); a body that does not fit is refused with 503. Two bodies
    /// at Cloud Run's limit, a sixth of the 512 MiB the deployment gives an instance.
    public var maxBufferedRequestBodyBytes: Int = 64 * 1024 * 1024
    /// How long in-flight requests may take to finish after SIGTERM; Cloud Run sends SIGKILL 10 s after SIGTERM,
    /// so this leaves time for shutdown hooks.
    public var drainTimeout: Duration = .seconds(7)
    /// How pushes to message functions are authenticated (`PUSH_AUTH`, `PUSH_AUDIENCE`, `PUSH_SERVICE_ACCOUNTS`,
    /// `PUSH_JWKS_URL`).
    public var pushAuthentication = PushAuthentication()

    public init() {}
}
