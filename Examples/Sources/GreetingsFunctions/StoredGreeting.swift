import GRDB

/// A greeting as the table keeps it and `GET /greetings` lists it.
public struct StoredGreeting: Codable, Sendable, Equatable, FetchableRecord {
    /// The Pub/Sub message that carried it: a redelivery has the same id, so it is stored once.
    public var messageId: String
    public var name: String
    public var language: String

    public init(messageId: String, name: String, language: String) {
        self.messageId = messageId
        self.name = name
        self.language = language
    }
}

/// The body of `GET /greetings`; an object rather than a bare array, so that fields can be added later.
public struct GreetingList: Codable, Sendable, Equatable {
    public var greetings: [StoredGreeting]

    public init(greetings: [StoredGreeting]) {
        self.greetings = greetings
    }
}
