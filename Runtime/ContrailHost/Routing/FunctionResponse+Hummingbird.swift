import ContrailKit
import Hummingbird
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension FunctionResponse {
    /// Bodies above this go to the socket a slice at a time, as the client reads them, instead of being copied
    /// whole into one more buffer in front of a slow reader.
    static let streamingThreshold = 1 << 20
    static let sliceSize = 256 << 10

    func hummingbirdResponse(closingConnection: Bool = false) -> Response {
        var headers = self.headerFields
        if closingConnection { headers[.connection] = "close" }
        let body = self.body
        let responseBody: ResponseBody
        if body.isEmpty {
            responseBody = ResponseBody()
        } else if body.count <= Self.streamingThreshold {
            responseBody = ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        } else {
            responseBody = ResponseBody(contentLength: body.count) { writer in
                var offset = body.startIndex
                while offset < body.endIndex {
                    let end = body.index(offset, offsetBy: Self.sliceSize, limitedBy: body.endIndex) ?? body.endIndex
                    // Waits while the connection is not writable, so at most a slice or two is copied ahead.
                    try await writer.write(ByteBuffer(bytes: body[offset..<end]))
                    offset = end
                }
                try await writer.finish(nil)
            }
        }
        return Response(status: self.status, headers: headers, body: responseBody)
    }
}
