import Foundation
import GRPCCore
import HTTPTypes
import SwiftProtobuf

/// gRPC requests answered by the same operations as the REST API: a request's proto3 JSON form is the REST body
/// (the REST API is the same service mapped onto JSON), so both validate, store and refuse alike.
extension PubSubAPI {
    /// Calls the operation at `method` and `resource`'s REST path with `body`'s JSON, less `pathFields` (the fields
    /// REST carries in the path), and reads the answer as `Response`.
    func call<Response: SwiftProtobuf.Message>(
        _ method: HTTPRequest.Method,
        _ resource: String,
        suffix: String = "",
        query: [String: String] = [:],
        body: (any SwiftProtobuf.Message)? = nil,
        pathFields: Set<String> = [],
        as: Response.Type = Response.self
    ) async throws(RPCError) -> Response {
        var json = Data()
        if let body {
            do {
                var fields = JSONObject.decode(try body.jsonUTF8Data())
                for field in pathFields { fields[field] = nil }
                json = JSONObject.encode(fields)
            } catch {
                throw RPCError(code: .invalidArgument, message: "The request could not be read: \(error)")
            }
        }
        let (status, answer) = await self.handle(
            method: method,
            path: Self.restPath(resource) + suffix,
            query: query,
            body: json
        )
        guard status == 200 else { throw Self.rpcError(status: status, body: answer) }
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        do {
            return try Response(jsonUTF8Data: answer, options: options)
        } catch {
            throw RPCError(code: .internalError, message: "The answer could not be encoded: \(error)")
        }
    }

    /// `/v1/` and the name, each segment percent-encoded as a REST client would send it.
    private static func restPath(_ name: String) -> String {
        let segments = name.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.addingPercentEncoding(
                withAllowedCharacters: .urlPathAllowed.subtracting(["/", "%", "?", "#", ":"])
            )
                ?? String(segment)
        }
        return "/v1/" + segments.joined(separator: "/")
    }

    /// Google's REST error body as the gRPC status it stands for.
    static func rpcError(status: Int, body: Data) -> RPCError {
        let detail = JSONObject.decode(body)["error"] as? [String: Any]
        let message = detail?["message"] as? String ?? "HTTP \(status)"
        let code: RPCError.Code =
            switch detail?["status"] as? String {
            case "INVALID_ARGUMENT": .invalidArgument
            case "NOT_FOUND": .notFound
            case "ALREADY_EXISTS": .alreadyExists
            case "PERMISSION_DENIED": .permissionDenied
            case "FAILED_PRECONDITION": .failedPrecondition
            case "UNIMPLEMENTED": .unimplemented
            case "UNAVAILABLE": .unavailable
            case "INTERNAL": .internalError
            default: .unknown
            }
        return RPCError(code: code, message: message)
    }
}
