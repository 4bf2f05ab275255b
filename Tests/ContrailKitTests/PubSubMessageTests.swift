import ContrailKit
import Foundation
import Testing

@Suite("Pub/Sub messages")
struct PubSubMessageTests {
    struct Reading: Codable, Equatable {
        var sensor: String
        var value: Double
    }

    @Test("text is the payload when it is valid UTF-8")
    func utf8Text() {
        #expect(PubSubMessage(id: "1", data: Data("héllo ✓".utf8)).text == "héllo ✓")
        #expect(PubSubMessage(id: "2").text == "")
    }

    @Test(
        "text is nil when the payload is not valid UTF-8",
        arguments: [[0xFF], [0xC3], [0x68, 0x69, 0xFE], [0xED, 0xA0, 0x80]] as [[UInt8]]
    )
    func nonUTF8Text(bytes: [UInt8]) {
        #expect(PubSubMessage(id: "1", data: Data(bytes)).text == nil)
    }

    @Test("decode(_:) reads a JSON payload into a Decodable type")
    func decodeJSON() throws {
        let message = PubSubMessage(id: "1", data: Data(#"{"sensor":"t-1","value":21.5}"#.utf8))
        #expect(try message.decode(Reading.self) == Reading(sensor: "t-1", value: 21.5))
        let inferred: Reading = try message.decode()
        #expect(inferred.sensor == "t-1")
    }

    @Test("decode(_:using:) honours the decoder's strategies")
    func decodeWithDecoder() throws {
        struct Event: Decodable, Equatable {
            var deviceId: String
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let message = PubSubMessage(id: "1", data: Data(#"{"device_id":"d-9"}"#.utf8))
        #expect(try message.decode(Event.self, using: decoder) == Event(deviceId: "d-9"))
    }

    @Test(
        "A payload that is not the expected JSON throws FunctionError with badRequest naming the type",
        arguments: ["not json", "", #"{"sensor":"t-1"}"#, #"{"sensor":1,"value":2}"#, "[]"]
    )
    func decodeFailureIsBadRequest(payload: String) throws {
        let message = PubSubMessage(id: "1", data: Data(payload.utf8))
        let error = #expect(throws: FunctionError.self) { try message.decode(Reading.self) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("Reading") == true)
        #expect(error?.description.hasPrefix("400 INVALID_ARGUMENT") == true)
    }
}
