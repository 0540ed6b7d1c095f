import Synchronization

/// Counts the `request_uri` fetches in flight per client, so that one client (or someone
/// sending its client_id) cannot make the server hold many slow outbound fetches at once
/// (RFC 9101 §10.4.1: request_uri fetches as a denial-of-service vector). Per node: the
/// counters guard this process's connections, which is what they are for.
///
/// A lock, not an actor, so that a slot is released synchronously in a `defer`, on every
/// path out of the fetch (success, error, cancellation).
public final class RequestURIFetchLimiter: Sendable {
    public static let defaultLimit = 2

    public let limit: Int
    private let inFlight = Mutex<[String: Int]>([:])

    public init(limit: Int = RequestURIFetchLimiter.defaultLimit) {
        self.limit = limit
    }

    /// Takes a slot for `clientID`: false when the client already has `limit` fetches running.
    /// Each true must be paired with one `release`.
    public func acquire(_ clientID: String) -> Bool {
        inFlight.withLock { counts in
            let current = counts[clientID, default: 0]
            guard current < limit else { return false }
            counts[clientID] = current + 1
            return true
        }
    }

    public func release(_ clientID: String) {
        inFlight.withLock { counts in
            let remaining = counts[clientID, default: 0] - 1
            counts[clientID] = remaining > 0 ? remaining : nil
        }
    }

    /// Fetches running for `clientID` now.
    public func count(for clientID: String) -> Int {
        inFlight.withLock { $0[clientID, default: 0] }
    }
}
