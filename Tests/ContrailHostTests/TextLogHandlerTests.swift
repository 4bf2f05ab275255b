import ContrailHost
import Logging
import Testing

@Suite("Text log lines")
struct TextLogHandlerTests {
    private let capture = LineCapture()

    private var logger: Logger {
        let handler = TextLogHandler(label: "contrail.test", sink: self.capture.sink)
        return Logger(label: "contrail.test") { _ in handler }
    }

    /// Whether `line` holds a character that ends a line or controls a terminal.
    private func hasControlCharacters(_ line: String) -> Bool {
        line.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
            default: false
            }
        }
    }

    @Test("A message id with a newline and ANSI escapes is written as one line, escaped, with no control bytes")
    func controlCharactersAreEscaped() throws {
        let forged = "m-1\n2026-01-01T00:00:00Z info contrail: forged\u{1B}[31m"
        self.logger.info(
            "POST /ingest 204 1.0ms message \(forged)",
            metadata: ["message.id": .string(forged), "key\r\nwith\tbreaks": "value"]
        )

        let line = try #require(self.capture.lines.only)
        #expect(!self.hasControlCharacters(line))
        #expect(line.contains(#"message m-1\n2026-01-01T00:00:00Z info contrail: forged\u{1B}[31m"#))
        #expect(line.contains(#" message.id=m-1\n2026"#))
        #expect(line.contains(#" key\r\nwith\tbreaks=value"#))
    }

    @Test("DEL, C1 controls and the Unicode line separators are escaped too, in nested values as well")
    func otherLineBreaksAreEscaped() throws {
        self.logger.warning(
            "a\u{7F}b\u{85}c\u{9B}d\u{2028}e\u{2029}f\u{0}g",
            metadata: ["nested": .array([.string("x\ny"), .dictionary(["k\u{B}": .string("v\u{C}")])])]
        )

        let line = try #require(self.capture.lines.only)
        #expect(!self.hasControlCharacters(line))
        #expect(line.hasSuffix(#"a\u{7F}b\u{85}c\u{9B}d\u{2028}e\u{2029}f\u{0}g"#))
    }

    @Test("Ordinary text, backslashes and non-ASCII letters included, is written unchanged")
    func ordinaryTextIsUnchanged() throws {
        self.logger.info("café \\ naïve 東京", metadata: ["function": "ingest"])

        let line = try #require(self.capture.lines.only)
        #expect(line.contains(" info contrail.test: function=ingest ["))
        #expect(line.hasSuffix("] café \\ naïve 東京"))
    }
}

extension Array {
    /// The one element, or `nil` when there are none or several.
    fileprivate var only: Element? { self.count == 1 ? self.first : nil }
}
