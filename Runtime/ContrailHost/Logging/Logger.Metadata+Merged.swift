import Logging

extension Logger.Metadata {
    /// A handler's own metadata, then its provider's, then the event's, each later one winning on a shared key:
    /// the order swift-log's handlers apply.
    func merged(provider: Logger.MetadataProvider?, event: Logger.Metadata?) -> Logger.Metadata {
        var merged = self
        if let provided = provider?.get() { merged.merge(provided) { $1 } }
        if let event { merged.merge(event) { $1 } }
        return merged
    }
}
