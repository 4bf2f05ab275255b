import ContrailKit
import Foundation
import HTTPTypes

/// The OpenAPI 3.1 document of the query API, kept in the repository beside the code it describes.
enum QueryAPIDocument {
    static let data: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) }

    static func response() throws -> FunctionResponse {
        guard let data else { throw FunctionError(.internalError, "the OpenAPI document is missing from the build") }
        return FunctionResponse(status: .ok, headerFields: [.contentType: "application/json"], body: data)
    }
}
