public import ContrailKit
public import Foundation

/// A message a subscription holds unacknowledged, as an inspector sees it: nothing about it is leased or changed
/// by looking.
package struct HeldMessage: Sendable {
    /// The subscription holding it (full name).
    package var subscription: String
    /// Its place in the service's publish order: a cursor for the next page.
    package var position: Int64
    package var messageID: String
    package var data: Data
    package var attributes: [String: String]
    package var orderingKey: String
    package var publishTime: Timestamp
    /// Deliveries so far through this subscription.
    package var deliveryAttempts: Int
}
