import ArgumentParser
import ContrailHost
import Foundation
import Logging

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registered functions on $PORT, as the container does on Cloud Run.",
        discussion: """
            Every function is served at /<name> (and every path below it), or, with FUNCTION_TARGET, one function \
            at every path. GET /_/health answers 200 while serving and 503 while draining. SIGTERM stops \
            accepting, lets in-flight requests finish, runs shutdown hooks and exits 0.

            Environment (read once, at start; an invalid value stops the start and names the variable):
              PORT                       port bound on all interfaces (default 8080; 0 picks a free one)
              FUNCTION_TARGET            serve only this function, at every path
              LOG_FORMAT                 json (Cloud Logging lines) or text (default json when K_SERVICE is set)
              LOG_LEVEL                  trace, debug, info, notice, warning, error or critical (default info)
              K_SERVICE, K_REVISION, K_CONFIGURATION   added to every JSON log line as labels
              GOOGLE_CLOUD_PROJECT       qualifies trace ids in log lines
              CLOUD_RUN_TIMEOUT_SECONDS  invocation deadline before a 504, and for receiving a body (default 300)
              HTTP_IDLE_TIMEOUT_SECONDS  close a connection silent this long (default 620)
              MAX_BUFFERED_REQUEST_BYTES request-body bytes all connections may hold at once; a body that does
                                         not fit is refused with 503 (default 67108864, 64 MiB)
              PUSH_AUTH                  how pushes to message functions are authenticated: none (default),
                                         platform (Cloud Run IAM checked the token; its claims are read) or
                                         oidc (the token's signature is verified)
              PUSH_AUDIENCE              the aud a push token must carry, or several, comma-separated
                                         (required by oidc)
              PUSH_SERVICE_ACCOUNTS      comma-separated service account emails allowed to push (default any)
              PUSH_JWKS_URL              where oidc fetches signing keys
                                         (default https://www.googleapis.com/oauth2/v3/certs)
              OTEL_EXPORTER_OTLP_ENDPOINT  export a span per invocation (and per call the application traces)
                                         over OTLP/HTTP (unset: no export); OTEL_EXPORTER_OTLP_PROTOCOL,
                                         OTEL_SERVICE_NAME and the other OpenTelemetry variables apply
            The application may read variables of its own (the store it uses, say); its documentation names them.

            GET /_/metrics serves Prometheus metrics: requests, latency and in-flight per function, and the
            application's own metrics.
            """
    )

    func run(_ application: FunctionApplication) async throws {
        let start = try await ProcessStart(application)
        let configuration = start.configuration
        let host = try start.setup.functionHost(
            configuration: configuration,
            logger: start.logger,
            metrics: start.telemetry.metrics
        )
        try await ServiceRunner.run(
            start.telemetry.services(start.setup.services + [host]),
            drainTimeout: configuration.drainTimeout,
            logger: start.logger,
            portInUse: "port \(configuration.port) is already in use; set PORT to a free port"
        )
    }
}
