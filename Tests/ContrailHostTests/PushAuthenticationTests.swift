import ContrailHost
import ContrailKit
import Foundation
import HTTPTypes
import InMemoryLogging
import Logging
import Testing

@Suite("PUSH_AUTH and its companions from the environment")
struct PushAuthenticationTests {
    /// An invalid environment and the variable its error must name.
    struct Invalid: Sendable, CustomTestStringConvertible {
        let environment: [String: String]
        let variable: String
        var testDescription: String {
            self.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    @Test("Without PUSH_AUTH pushes are not authenticated and Google's keys are the default")
    func defaults() throws {
        let push = try HostConfiguration(environment: [:]).pushAuthentication
        #expect(push.mode == .none)
        #expect(push.audiences.isEmpty)
        #expect(push.serviceAccounts.isEmpty)
        #expect(push.jwksURL.absoluteString == "https://www.googleapis.com/oauth2/v3/certs")
    }

    @Test("Every PUSH_ variable is read")
    func everyVariableIsRead() throws {
        let push = try HostConfiguration(environment: [
            "PUSH_AUTH": "oidc",
            "PUSH_AUDIENCE": "https://contrail.example.run.app/ingest",
            "PUSH_SERVICE_ACCOUNTS": "a@p.iam.gserviceaccount.com, b@p.iam.gserviceaccount.com",
            "PUSH_JWKS_URL": "http://127.0.0.1:8085/oauth2/v3/certs",
        ]).pushAuthentication
        #expect(push.mode == .oidc)
        #expect(push.audiences == ["https://contrail.example.run.app/ingest"])
        #expect(push.serviceAccounts == ["a@p.iam.gserviceaccount.com", "b@p.iam.gserviceaccount.com"])
        #expect(push.jwksURL.absoluteString == "http://127.0.0.1:8085/oauth2/v3/certs")
    }

    @Test("PUSH_AUTH is read without regard to case", arguments: ["platform", "PLATFORM", "Platform"])
    func modeIgnoresCase(_ value: String) throws {
        #expect(try HostConfiguration(environment: ["PUSH_AUTH": value]).pushAuthentication.mode == .platform)
    }

    @Test(
        "An invalid PUSH_ value stops the start with an error naming the variable",
        arguments: [
            Invalid(environment: ["PUSH_AUTH": "maybe"], variable: "PUSH_AUTH"),
            Invalid(environment: ["PUSH_AUTH": "oidc"], variable: "PUSH_AUDIENCE"),
            Invalid(environment: ["PUSH_AUDIENCE": "https://x.example"], variable: "PUSH_AUDIENCE"),
            Invalid(
                environment: ["PUSH_SERVICE_ACCOUNTS": "a@p.iam.gserviceaccount.com"],
                variable: "PUSH_SERVICE_ACCOUNTS"
            ),
            Invalid(
                environment: ["PUSH_AUTH": "platform", "PUSH_SERVICE_ACCOUNTS": "not-an-email"],
                variable: "PUSH_SERVICE_ACCOUNTS"
            ),
            Invalid(
                environment: ["PUSH_AUTH": "platform", "PUSH_SERVICE_ACCOUNTS": "a@p.example,,b@p.example"],
                variable: "PUSH_SERVICE_ACCOUNTS"
            ),
            Invalid(
                environment: ["PUSH_AUTH": "oidc", "PUSH_AUDIENCE": "x", "PUSH_JWKS_URL": "ftp://keys.example/certs"],
                variable: "PUSH_JWKS_URL"
            ),
            Invalid(
                environment: ["PUSH_AUTH": "oidc", "PUSH_AUDIENCE": "x", "PUSH_JWKS_URL": "keys.example/certs"],
                variable: "PUSH_JWKS_URL"
            ),
            Invalid(
                environment: ["PUSH_AUTH": "oidc", "PUSH_AUDIENCE": "x", "PUSH_JWKS_URL": "https://"],
                variable: "PUSH_JWKS_URL"
            ),
        ]
    )
    func invalidValueIsNamed(_ invalid: Invalid) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try HostConfiguration(environment: invalid.environment)
        }
        #expect(error?.variable == invalid.variable)
        #expect(error?.description.contains(invalid.variable) == true)
    }

    @Test("PUSH_AUTH=oidc without PUSH_AUDIENCE says that oidc requires it")
    func oidcNeedsAnAudience() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try HostConfiguration(environment: ["PUSH_AUTH": "oidc"])
        }
        #expect(error?.expected.contains("PUSH_AUTH=oidc requires it") == true)
    }

    @Test("A router built from configuration enforces PUSH_AUTH: platform refuses a push without a token")
    func routerBuildsItsVerifierFromConfiguration() async throws {
        let configuration = try HostConfiguration(environment: ["PUSH_AUTH": "platform"])
        let endpoint = try PushEndpoint(verifier: nil, configuration: configuration)
        #expect(await endpoint.push(authorization: nil).status == .unauthorized)
        #expect(await endpoint.handledCount == 0)
    }

    @Test("Under PUSH_AUTH=none a push without a token is delivered, as before")
    func noneDeliversWithoutAToken() async throws {
        let endpoint = try PushEndpoint(verifier: nil, configuration: try HostConfiguration(environment: [:]))
        #expect(await endpoint.push(authorization: nil).status == .noContent)
        #expect(await endpoint.handledCount == 1)
        #expect(endpoint.logs.entries.last?.metadata["push_email"] == nil)
    }

    @Test("A configuration that cannot be enforced is refused when the router is built")
    func unenforceableConfigurationIsRefused() throws {
        var configuration = HostConfiguration()
        configuration.pushAuthentication.mode = .oidc
        let error = #expect(throws: ConfigurationError.self) {
            try PushEndpoint(verifier: nil, configuration: configuration)
        }
        #expect(error?.variable == "PUSH_AUDIENCE")
    }
}
