import ContrailKit
import Foundation
import Testing

@Suite("Timestamps are read from RFC 3339 to the microsecond and written as Google's JSON mapping writes them")
struct TimestampTests {
    @Test(
        "written with as few fractional digits as keep the value exact: none, 3 or 6",
        arguments: [
            (1_614_366_835_000_000, "2021-02-26T19:13:55Z"),
            (1_614_366_835_749_000, "2021-02-26T19:13:55.749Z"),
            (1_614_366_835_749_123, "2021-02-26T19:13:55.749123Z"),
            (1_614_366_835_000_001, "2021-02-26T19:13:55.000001Z"),
            (-1, "1969-12-31T23:59:59.999999Z"),
            (0, "1970-01-01T00:00:00Z"),
        ] as [(Int64, String)]
    )
    func written(microseconds: Int64, text: String) {
        let timestamp = Timestamp(microsecondsSinceEpoch: microseconds)
        #expect(timestamp.rfc3339 == text)
        #expect(Timestamp(rfc3339: text) == timestamp)
    }

    @Test("nanoseconds are truncated to microseconds, and offsets are applied")
    func read() {
        #expect(Timestamp(rfc3339: "2021-02-26T19:13:55.749123999Z")?.microsecondsSinceEpoch == 1_614_366_835_749_123)
        #expect(Timestamp(rfc3339: "2021-02-26T21:13:55.5+02:00") == Timestamp(rfc3339: "2021-02-26T19:13:55.500Z"))
    }

    @Test(
        "text that is not RFC 3339 with a zone is refused",
        arguments: [
            "2021-02-26T19:13:55", "2021-02-30T00:00:00Z", "2021-02-26 19:13Z", "2021-02-26T19:13:55.Z",
            "2021-02-26T19:13:55.1234567890Z", "", "yesterday",
        ]
    )
    func refused(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("Codable as its RFC 3339 text")
    func codable() throws {
        let timestamp = Timestamp(microsecondsSinceEpoch: 1_614_366_835_749_000)
        let data = try JSONEncoder().encode([timestamp])
        #expect(String(decoding: data, as: UTF8.self) == #"["2021-02-26T19:13:55.749Z"]"#)
        #expect(try JSONDecoder().decode([Timestamp].self, from: data) == [timestamp])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Timestamp].self, from: Data(#"["noon"]"#.utf8))
        }
    }
}
