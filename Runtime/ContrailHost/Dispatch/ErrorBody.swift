#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ContrailKit
import HTTPTypes

/// The Google API error shape: `{"error":{"code":400,"status":"INVALID_ARGUMENT","message":"..."}}`.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let code: Int
        let status: String
        let message: String
    }

    let error: Detail

    static func response(_ error: FunctionError, headers: HTTPFields = [:]) -> FunctionResponse {
        let body = ErrorBody(
            error: Detail(code: error.code.status.code, status: error.code.name, message: error.message)
        )
        var fields = headers
        fields[.contentType] = "application/json"
        // Encoding three plain fields cannot fail.
        let data = (try? FunctionResponse.defaultJSONEncoder.encode(body)) ?? Data()
        return FunctionResponse(status: error.code.status, headerFields: fields, body: data)
    }
}
