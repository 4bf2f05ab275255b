import ContrailHost
import Logging
import Testing

@Suite("Host configuration from the environment")
struct HostConfigurationTests {
    @Test("An empty environment gives the documented defaults")
    func defaults() throws {
        let configuration = try HostConfiguration(environment: [:])
        #expect(configuration.port == 8080)
        #expect(configuration.functionTarget == nil)
        #expect(configuration.logFormat == .text)
        #expect(configuration.logLevel == .info)
        #expect(configuration.logLabels.isEmpty)
        #expect(configuration.projectID == nil)
        #expect(configuration.requestTimeout == .seconds(300))
        #expect(configuration.maxRequestBodySize == 32 * 1024 * 1024)
    }

    @Test("Logs default to JSON when K_SERVICE is set, as on Cloud Run")
    func jsonLogsOnCloudRun() throws {
        let configuration = try HostConfiguration(environment: ["K_SERVICE": "contrail"])
        #expect(configuration.logFormat == .json)
    }

    @Test("An explicit LOG_FORMAT wins over the K_SERVICE default")
    func explicitFormatWins() throws {
        let configuration = try HostConfiguration(environment: ["K_SERVICE": "contrail", "LOG_FORMAT": "text"])
        #expect(configuration.logFormat == .text)
    }

    @Test("Every variable the host reads is read")
    func everyVariableIsRead() throws {
        let configuration = try HostConfiguration(environment: [
            "PORT": "9090",
            "FUNCTION_TARGET": "ingest",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "debug",
            "K_SERVICE": "contrail",
            "K_REVISION": "contrail-00042-abc",
            "K_CONFIGURATION": "contrail-config",
            "GOOGLE_CLOUD_PROJECT": "my-project",
            "CLOUD_RUN_TIMEOUT_SECONDS": "60",
        ])
        #expect(configuration.port == 9090)
        #expect(configuration.functionTarget == "ingest")
        #expect(configuration.logFormat == .json)
        #expect(configuration.logLevel == .debug)
        #expect(
            configuration.logLabels == [
                "k_service": "contrail",
                "k_revision": "contrail-00042-abc",
                "k_configuration": "contrail-config",
            ]
        )
        #expect(configuration.projectID == "my-project")
        #expect(configuration.requestTimeout == .seconds(60))
    }

    @Test("Enumerated values are read without regard to case")
    func enumeratedValuesIgnoreCase() throws {
        let configuration = try HostConfiguration(environment: ["LOG_FORMAT": "JSON", "LOG_LEVEL": "Warning"])
        #expect(configuration.logFormat == .json)
        #expect(configuration.logLevel == .warning)
    }

    @Test("Variables the host does not read change nothing")
    func unrelatedVariablesAreIgnored() throws {
        let configuration = try HostConfiguration(environment: ["HOME": "/root", "port": "1234"])
        #expect(configuration.port == 8080)
    }

    @Test("PORT=0 asks for any free port")
    func portZero() throws {
        let configuration = try HostConfiguration(environment: ["PORT": "0"])
        #expect(configuration.port == 0)
    }

    @Test(
        "Every level swift-log knows is accepted for LOG_LEVEL",
        arguments: Logger.Level.allCases
    )
    func everyLogLevel(level: Logger.Level) throws {
        let configuration = try HostConfiguration(environment: ["LOG_LEVEL": level.rawValue])
        #expect(configuration.logLevel == level)
    }

    @Test(
        "An invalid value is a ConfigurationError naming its variable",
        arguments: [
            ("PORT", "abc"),
            ("PORT", "70000"),
            ("PORT", "-1"),
            ("LOG_FORMAT", "xml"),
            ("LOG_LEVEL", "loud"),
            ("CLOUD_RUN_TIMEOUT_SECONDS", "0"),
            ("CLOUD_RUN_TIMEOUT_SECONDS", "3601"),
            ("CLOUD_RUN_TIMEOUT_SECONDS", "1.5"),
        ]
    )
    func invalidValueIsAnError(variable: String, value: String) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try HostConfiguration(environment: [variable: value])
        }
        #expect(error?.variable == variable)
        #expect(error?.value == value)
        #expect(error?.description.hasPrefix("\(variable)='\(value)' is invalid") == true)
        #expect(error?.expected.isEmpty == false)
    }
}
