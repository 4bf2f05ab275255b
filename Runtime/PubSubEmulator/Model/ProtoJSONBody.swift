import Foundation
import SwiftProtobuf

/// A REST body read as the request message it stands for, in the proto3 JSON mapping, with Google's words for
/// what is wrong with it; and a response message written the same way.
enum ProtoJSONBody {
    static func decode<Request: SwiftProtobuf.Message>(
        _ type: Request.Type,
        from body: Data
    ) throws(PubSubError)
        -> Request
    {
        if body.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) { return Request() }
        do {
            return try Request(jsonUTF8Data: body)
        } catch {
            // The decoder says what is wrong but not where; the smallest part of the body that fails alone does.
            let path = (try? Google_Protobuf_Value(jsonUTF8Data: body)).map { JSONFaultLocator<Request>().path(in: $0) }
            throw Self.refusal(error, at: path ?? [])
        }
    }

    /// An Update request, whose `updateMask` Google takes with paths in either spelling (`retry_policy` or
    /// `retryPolicy`) where the proto3 JSON mapping takes only the second.
    static func decodeUpdate<Request: SwiftProtobuf.Message>(
        _ type: Request.Type,
        from body: Data
    ) throws(PubSubError)
        -> Request
    {
        var object = try Self.decode(Google_Protobuf_Struct.self, from: body)
        if case .stringValue(let mask)? = object.fields["updateMask"]?.kind {
            let paths = mask.split(separator: ",").map {
                UpdateMask.lowerCamel($0.trimmingCharacters(in: .whitespaces))
            }
            object.fields["updateMask"] = Google_Protobuf_Value(stringValue: paths.joined(separator: ","))
        }
        let normalized = (try? object.jsonUTF8Data()) ?? body
        return try Self.decode(type, from: normalized)
    }

    static func encode(_ message: any SwiftProtobuf.Message) -> Data {
        (try? message.jsonUTF8Data()) ?? Data("{}".utf8)
    }

    private static func refusal(_ error: any Error, at path: [String]) -> PubSubError {
        if case JSONDecodingError.unknownField(let name) = error {
            let location =
                path.count > 1 ? " at '\(JSONFaultLocator<Google_Protobuf_Empty>.text(path.dropLast()))'" : ""
            return .invalid("Invalid JSON payload received. Unknown name \"\(name)\"\(location): Cannot find field.")
        }
        let location =
            path.isEmpty ? "" : "Invalid value at '\(JSONFaultLocator<Google_Protobuf_Empty>.text(path[...]))': "
        return .invalid("Invalid JSON payload received. \(location)\(Self.describe(error))")
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case JSONDecodingError.malformedNumber: "expected a number."
        case JSONDecodingError.malformedString: "not a valid string here (bytes are written in base64)."
        case JSONDecodingError.malformedBool: "expected true or false."
        case JSONDecodingError.malformedDuration: "A duration is malformed: write it as \"10s\" or \"3.5s\"."
        case JSONDecodingError.malformedTimestamp: "A timestamp is malformed: write it in RFC 3339."
        case JSONDecodingError.malformedFieldMask: "The update mask is malformed."
        case JSONDecodingError.numberRange: "A number is out of range for its field."
        case JSONDecodingError.unrecognizedEnumValue: "An enum value is not one of its names."
        case JSONDecodingError.conflictingOneOf: "only one of these fields may be set."
        case JSONDecodingError.truncated, JSONDecodingError.failure: "Could not parse the request body as JSON."
        default: "The request body does not match the request message: \(error)."
        }
    }
}
