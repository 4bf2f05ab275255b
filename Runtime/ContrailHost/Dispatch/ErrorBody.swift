import ContrailKit
import HTTPTypes

/// A function's error as the response Google's frameworks give: its status and ``GoogleErrorBody``.
enum ErrorBody {
    static func response(_ error: FunctionError, headers: HTTPFields = [:]) -> FunctionResponse {
        let body = GoogleErrorBody(.init(code: error.code.status.code, message: error.message, status: error.code.name))
        var fields = headers
        fields[.contentType] = "application/json"
        return FunctionResponse(status: error.code.status, headerFields: fields, body: body.encoded())
    }
}
