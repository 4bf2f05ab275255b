import ContrailKit

/// A time read from a request is written back as RFC 3339 (in records, cursors, push bodies) and must still name
/// the same instant, exactly.
func checkTimestampRoundTrip(_ timestamp: Timestamp) {
    // Years 0000 to 9999 in UTC: the only ones a four-digit year can write.
    let microseconds = timestamp.microsecondsSinceEpoch
    guard microseconds >= -62_167_219_200_000_000, microseconds < 253_402_300_800_000_000 else { return }
    let text = timestamp.rfc3339
    expect(Timestamp(rfc3339: text) == timestamp, "\(microseconds) µs was written as \(text)")
}
