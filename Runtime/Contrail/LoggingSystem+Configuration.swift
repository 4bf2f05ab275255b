import ContrailHost
import Logging

extension LoggingSystem {
    /// Cloud Logging JSON lines or plain text on standard output, at the configured level.
    static func bootstrap(configuration: HostConfiguration, metadataProvider: Logger.MetadataProvider? = nil) {
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .json:
            let labels = configuration.logLabels
            let projectID = configuration.projectID
            self.bootstrap { label in
                var handler = CloudLoggingLogHandler(label: label, labels: labels, projectID: projectID)
                handler.logLevel = level
                handler.metadataProvider = metadataProvider
                return handler
            }
        case .text:
            self.bootstrap { label in
                var handler = TextLogHandler(label: label, metadataProvider: metadataProvider)
                handler.logLevel = level
                return handler
            }
        }
    }
}
