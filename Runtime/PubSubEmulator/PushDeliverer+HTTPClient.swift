import AsyncHTTPClient

extension PushDeliverer {
    /// The client every push goes through. It never follows a redirect: Pub/Sub counts a 3xx as a failed push, like
    /// any status outside the ack list, and never contacts the address it names. Following one would turn a 302 into
    /// a bodiless GET whose 2xx acknowledges a message nobody received, or re-post a 307 to another origin.
    ///
    /// Process-wide like `HTTPClient.shared`, whose settings it keeps otherwise, so it is never shut down.
    static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
