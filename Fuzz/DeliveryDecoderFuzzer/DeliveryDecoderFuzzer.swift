import ContrailKit
import HTTPTypes

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// libFuzzer's entry point: every input is one push request, decoded as a function with either setting of
/// `acceptsUnwrappedPayloads` would decode it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeliveryDecoder(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let request = FuzzedRequest(UnsafeBufferPointer(start: start, count: count))
    for acceptsUnwrappedPayloads in [false, true] {
        DeliveryProperties(
            request: request,
            decoder: DeliveryDecoder(acceptsUnwrappedPayloads: acceptsUnwrappedPayloads)
        )
        .check()
    }
    TopicProperties.check(request)
    return 0
}

/// A request read from fuzzer bytes laid out like HTTP/1.1 without the request line's method and version, so that
/// the path and the headers are mutated along with the body:
///
///     /projects/p/topics/t
///     ce-specversion: 1.0
///     content-type: application/json
///
///     {"message":{...}}
///
/// The first line is the path; header lines follow up to the first empty line; the rest is the body (none when
/// there is no empty line). Bytes that are not UTF-8 become U+FFFD and lines with an invalid field name are
/// dropped, as NIO and its HTTPTypes conversion treat a real request head.
struct FuzzedRequest {
    var head: HTTPRequest
    var body: Data

    init(_ input: UnsafeBufferPointer<UInt8>) {
        let bytes = Array(input)
        var lines: [ArraySlice<UInt8>] = []
        var bodyStart = bytes.count
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var line = bytes[lineStart..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            lineStart = lineEnd + 1
            if line.isEmpty && !lines.isEmpty {
                bodyStart = min(lineStart, bytes.count)
                break
            }
            lines.append(line)
        }

        var fields = HTTPFields()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                let name = HTTPField.Name(String(decoding: line[..<colon], as: UTF8.self))
            else { continue }
            let value = line[(colon + 1)...].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            fields.append(HTTPField(name: name, value: String(decoding: value, as: UTF8.self)))
        }
        self.head = HTTPRequest(
            method: .post,
            scheme: "https",
            authority: "fuzz.invalid",
            path: String(decoding: lines.first ?? [], as: UTF8.self),
            headerFields: fields
        )
        self.body = Data(bytes[bodyStart...])
    }
}

/// What the decoder promises for any request, accepted or refused.
struct DeliveryProperties {
    let request: FuzzedRequest
    let decoder: DeliveryDecoder

    static let messageIDHeader = HTTPField.Name("x-goog-pubsub-message-id")!

    func check() {
        let first = self.decode()
        let second = self.decode()
        switch (first, second) {
        case (.success(let message), .success(let again)):
            self.checkAccepted(message)
            expect(self.sameDelivery(message, again), "decoding twice gave \(message) then \(again)")
        case (.failure(let error), .failure(let again)):
            self.checkRefused(error)
            expect(error == again, "decoding twice failed with \(error) then \(again)")
        default:
            expect(false, "decoding twice gave \(first) then \(second)")
        }
    }

    private func decode() -> Result<PubSubMessage, DeliveryError> {
        do {
            return .success(try self.decoder.decode(head: self.request.head, body: self.request.body))
        } catch {
            return .failure(error)
        }
    }

    /// The form the request is read as, by the precedence `DeliveryDecoder` documents.
    private var isUnwrapped: Bool {
        let fields = self.request.head.headerFields
        if fields[HTTPField.Name("ce-specversion")!] != nil { return false }
        if fields[.contentType]?.lowercased().hasPrefix("application/cloudevents+json") == true { return false }
        return self.decoder.acceptsUnwrappedPayloads
            || fields.contains { $0.name.canonicalName.hasPrefix("x-goog-pubsub-") }
    }

    /// Only an unwrapped push without a message id may differ between two decodings: the host makes one up.
    private var hostAssignsID: Bool {
        self.isUnwrapped && (self.request.head.headerFields[Self.messageIDHeader] ?? "").isEmpty
    }

    private func sameDelivery(_ message: PubSubMessage, _ again: PubSubMessage) -> Bool {
        guard message.id != again.id else { return message == again }
        guard self.hostAssignsID else { return false }
        var again = again
        again.id = message.id
        return message == again
    }

    private func checkAccepted(_ message: PubSubMessage) {
        expect(!message.id.isEmpty, "accepted a message with an empty id: \(message)")
        expect(message.orderingKey != "", "an empty ordering key is reported as present: \(message)")
        if let attempt = message.deliveryAttempt {
            expect((0...Int(Int32.max)).contains(attempt), "deliveryAttempt \(attempt) is not a non-negative int32")
        }
        if let publishTime = message.publishTime {
            checkTimestampRoundTrip(publishTime)
        }
        if self.isUnwrapped {
            self.checkUnwrapped(message)
        }
    }

    private func checkUnwrapped(_ message: PubSubMessage) {
        let fields = self.request.head.headerFields
        expect(
            message.data == self.request.body,
            "an unwrapped payload was altered: \(message.data) for \(self.request.body)"
        )
        if self.hostAssignsID {
            expect(UUID(uuidString: message.id) != nil, "an assigned id is not a UUID: \(message.id)")
        } else {
            expect(message.id == fields[Self.messageIDHeader], "the id is not the message-id header: \(message.id)")
        }
        for (key, value) in message.attributes {
            expect(!key.hasPrefix("x-goog-pubsub-"), "the delivery metadata header \(key) became an attribute")
            expect(!value.unicodeScalars.contains("\u{FFFD}"), "attribute \(key) kept bytes that were not UTF-8")
            let header = fields.last { $0.name.canonicalName == key }
            expect(header?.value == value, "attribute \(key)=\(value) is not the value of its header")
        }
    }

    private func checkRefused(_ error: DeliveryError) {
        expect(error.functionError.code == .badRequest, "a refused delivery is not a 400: \(error.functionError)")
        expect(!error.description.isEmpty, "a refusal without a reason: \(error)")
    }
}

/// The topic a request names through its path or its CloudEvent source.
enum TopicProperties {
    static func check(_ request: FuzzedRequest) {
        let path = request.head.path ?? ""
        if let topic = DeliveryDecoder.topic(inPath: path) {
            let segments = topic.split(separator: "/", omittingEmptySubsequences: false)
            expect(
                segments.count == 4 && segments[0] == "projects" && segments[2] == "topics"
                    && !segments[1].isEmpty && !segments[3].isEmpty,
                "topic \(topic) read from path \(path) is not projects/<p>/topics/<t>"
            )
            // Checked on bytes: a combining mark after `?` must not pull the query into the topic.
            expect(!topic.utf8.contains(UInt8(ascii: "?")), "topic \(topic) took in the query of path \(path)")
        }
        for source in [path] + request.head.headerFields[values: HTTPField.Name("ce-source")!] {
            if let topic = CloudEventDelivery.topic(fromSource: source) {
                expect(
                    topic.hasPrefix("projects/") && source.hasSuffix(topic),
                    "topic \(topic) is not a projects/ suffix of source \(source)"
                )
            }
        }
    }
}
