import ContrailKit
import JWTKit

/// The signing keys of ``OIDCPushVerifier``, fetched once and kept for the `max-age` their response gives
/// (an hour without one). A token naming a key the cache does not hold triggers one refetch, at most once per
/// 30 s, so that a rotated-in key is picked up at once while forged `kid`s cannot hammer the key server.
actor JWKSCache {
    static var defaultMaxAge: Duration { .seconds(3600) }
    static var unknownKeyRefetchInterval: Duration { .seconds(30) }

    struct Keys: Sendable {
        let collection: JWTKeyCollection
        let identifiers: Set<String>
        let expires: Timestamp
    }

    private let source: any JWKSSource
    private let clock: WallClock
    private var current: Keys?
    /// The fetch under way, which every concurrent caller awaits rather than starting its own.
    private var inFlight: Task<Keys, any Error>?
    private var lastUnknownKeyRefetch: Timestamp?

    init(source: any JWKSSource, clock: WallClock) {
        self.source = source
        self.clock = clock
    }

    /// The keys, if the key set has one named `kid`.
    ///
    /// - Throws: `unavailable` (503) when the keys are needed and cannot be fetched, or hold no usable key.
    func keys(including kid: String) async throws(FunctionError) -> JWTKeyCollection? {
        let now = self.clock.now()
        if let current = self.current, now < current.expires {
            if current.identifiers.contains(kid) { return current.collection }
            if self.inFlight == nil {
                if let last = self.lastUnknownKeyRefetch,
                    now < last.advanced(bySeconds: Self.unknownKeyRefetchInterval.seconds)
                {
                    return nil
                }
                self.lastUnknownKeyRefetch = now
            }
        }
        let keys = try await self.refresh()
        return keys.identifiers.contains(kid) ? keys.collection : nil
    }

    private func refresh() async throws(FunctionError) -> Keys {
        let task: Task<Keys, any Error>
        if let inFlight = self.inFlight {
            task = inFlight
        } else {
            let source = self.source
            let clock = self.clock
            task = Task { try await Self.load(source.fetchKeys(), clock: clock) }
            self.inFlight = task
        }
        do {
            let keys = try await task.value
            if self.inFlight == task { self.inFlight = nil }
            self.current = keys
            return keys
        } catch {
            if self.inFlight == task { self.inFlight = nil }
            let reason = (error as? JWKSFetchError)?.description ?? "the key source failed"
            throw FunctionError(
                .unavailable,
                "the keys that verify push tokens are not available (\(reason)); Pub/Sub will retry the delivery"
            )
        }
    }

    /// Keys that cannot verify RS256 tokens, or have no `kid`, are left out rather than failing the whole set.
    ///
    /// - Throws: ``JWKSFetchError`` when no key is left: every token would then be refused, and a 503 tells
    ///   Pub/Sub to retry while the key set is put right.
    private static func load(_ response: JWKSResponse, clock: WallClock) async throws(JWKSFetchError) -> Keys {
        let collection = JWTKeyCollection()
        var identifiers: Set<String> = []
        for key in response.keys.keys {
            guard let kid = key.keyIdentifier?.string, key.keyType == .rsa else { continue }
            do {
                try await collection.add(jwk: key)
                identifiers.insert(kid)
            } catch {
                continue
            }
        }
        guard !identifiers.isEmpty else {
            throw JWKSFetchError(description: "the key set has no RSA key with a 'kid' that can verify RS256 tokens")
        }
        // Only keys named by a token's `kid` may verify it, never a default one.
        await collection.clearDefault()
        return Keys(
            collection: collection,
            identifiers: identifiers,
            expires: clock.now().advanced(bySeconds: (response.maxAge ?? Self.defaultMaxAge).seconds)
        )
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
