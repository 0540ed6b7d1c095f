import Foundation
import Synchronization

/// Failed client authentications per (client_id, source): after `policy.limit` failures in
/// a window, that client_id from that source is answered 429 with `Retry-After` until the
/// window ends, before any secret or assertion is checked, so a stolen client_id cannot be
/// used to guess its secret at full speed. Another source, the client itself included, is not
/// affected.
///
/// Failures are counted in the `RateLimiter`'s store (shared by the nodes on PostgreSQL); the
/// refusal is remembered in this node's memory, so a request that authenticates correctly
/// costs no extra database round trip. On a cluster each node answers at most one more
/// failure after the shared count passed the limit before it refuses too.
public final class ClientAuthenticationThrottle: Sendable {
    private let rateLimiter: RateLimiter
    private let policy: RateLimitPolicy
    private let clock: any WallClock
    /// Refused keys and when their refusal ends.
    private let refused = Mutex<[String: Date]>([:])
    private let pruneThreshold: Int

    public init(rateLimiter: RateLimiter, policy: RateLimitPolicy, clock: any WallClock, pruneThreshold: Int = 10_000) {
        self.rateLimiter = rateLimiter
        self.policy = policy
        self.clock = clock
        self.pruneThreshold = pruneThreshold
    }

    static func key(clientID: String, source: ClientAddress) -> String {
        clientID + "\u{1F}" + source.throttleKey
    }

    /// Throws `RateLimited` when this client_id from this source is refused right now.
    public func check(clientID: String, source: ClientAddress) throws {
        guard policy.limit > 0 else { return }
        let key = Self.key(clientID: clientID, source: source)
        let now = clock.now
        let until = refused.withLock { refused -> Date? in
            guard let until = refused[key] else { return nil }
            if until <= now {
                refused[key] = nil
                return nil
            }
            return until
        }
        if let until { throw RateLimited(retryAfter: max(1, Int(until.timeIntervalSince(now).rounded(.up)))) }
    }

    /// Counts one failure. The `policy.limit`-th failure in a window refuses the key until
    /// the window ends; a failure past the limit (another node's, before it knew) throws
    /// `RateLimited` instead of its own error.
    public func recordFailure(clientID: String, source: ClientAddress) async throws {
        guard policy.limit > 0 else { return }
        let key = Self.key(clientID: clientID, source: source)
        let (hits, secondsLeft) = try await rateLimiter.count(.clientAuthenticationFailure, caller: key, policy: policy)
        guard hits >= policy.limit else { return }
        let now = clock.now
        refused.withLock { refused in
            if refused.count >= pruneThreshold { refused = refused.filter { $0.value > now } }
            refused[key] = now.addingTimeInterval(TimeInterval(secondsLeft))
        }
        if hits > policy.limit { throw RateLimited(retryAfter: secondsLeft) }
    }
}
