import PubSubEmulator
import ServiceLifecycle

/// Delivers due push messages until the group shuts down.
struct PushDeliveryService: Service {
    let deliverer: PushDeliverer

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.deliverer.run() }
    }
}
