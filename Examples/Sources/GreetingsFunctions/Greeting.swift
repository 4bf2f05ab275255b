/// What a publisher sends to the topic `greetings`: `{"name":"Ada","language":"en"}`.
public struct Greeting: Codable, Sendable, Equatable {
    public var name: String
    public var language: String

    public init(name: String, language: String) {
        self.name = name
        self.language = language
    }
}
