enum HeaderCheck {
    /// NIO decodes header bytes leniently, so bytes that are not UTF-8 arrive as U+FFFD.
    static func requireUTF8(_ value: String, name: String) throws(DeliveryError) {
        if value.unicodeScalars.contains("\u{FFFD}") { throw .invalidHeader(name) }
    }
}
