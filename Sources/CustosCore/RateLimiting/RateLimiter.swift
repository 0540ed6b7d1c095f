import Foundation

/// How many requests one caller may make per window; a `limit` of 0 turns the limit off.
public struct RateLimitPolicy: Sendable, Equatable {
    public var limit: Int
    public var window: TimeInterval

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    public static let off = RateLimitPolicy(limit: 0, window: 60)
}

/// What a counter counts; part of the counter's key, so the buckets never mix.
public enum RateLimitBucket: String, Sendable {
    /// Token requests per authenticated client.
    case token
    /// Pushed authorization requests per authenticated client (RFC 9126 §2.3 allows 429).
    case pushedAuthorization = "pushed-authorization"
    /// Sign-in form submissions per IP address.
    case login
    /// Failed client authentications per (client_id, source).
    case clientAuthenticationFailure = "client-auth-failure"
}

/// Too many requests from one caller; `retryAfter` seconds until the next is allowed
/// (RFC 6585 §4 and RFC 9110 §10.2.3 `Retry-After`).
public struct RateLimited: Error, Sendable, Equatable {
    public let retryAfter: Int
    public init(retryAfter: Int) { self.retryAfter = retryAfter }
}

/// Fixed-window request counting. A window is aligned to the Unix epoch, so every node of a
/// cluster counts into the same window without talking to the others; the counters live in a
/// `RateLimitStore` the nodes share (PostgreSQL) or in memory (a single SQLite node).
///
/// A fixed window lets a caller spend up to twice the limit across a window boundary; in
/// exchange one counter per caller and one atomic increment per request suffice, which is
/// what keeps the limiter off the token endpoint's fast path.
public struct RateLimiter: Sendable {
    private let store: any RateLimitStore
    private let clock: any WallClock
    private let tenant: TenantID

    public init(store: any RateLimitStore, clock: any WallClock, tenant: TenantID) {
        self.store = store
        self.clock = clock
        self.tenant = tenant
    }

    /// Counts one request of `caller` and throws `RateLimited` when it is over `policy`.
    public func admit(_ bucket: RateLimitBucket, caller: String, policy: RateLimitPolicy) async throws {
        guard policy.limit > 0 else { return }
        let (hits, secondsLeft) = try await count(bucket, caller: caller, policy: policy)
        if hits > policy.limit {
            throw RateLimited(retryAfter: secondsLeft)
        }
    }

    /// Counts one event of `caller` in the current window of `policy`: the count including it
    /// and the seconds left in the window (at least 1).
    public func count(_ bucket: RateLimitBucket, caller: String, policy: RateLimitPolicy) async throws -> (hits: Int, secondsLeft: Int) {
        let window = max(1, Int64(policy.window.rounded(.up)))
        let now = clock.now.timeIntervalSince1970
        let start = Int64(now.rounded(.down)) / window * window
        let end = start + window
        let key = tenant.rawValue + "\u{1F}" + bucket.rawValue + "\u{1F}" + caller
        let hits = try await store.recordHit(key: key, windowStart: start, windowEnd: end)
        return (hits, max(1, Int((Double(end) - now).rounded(.up))))
    }
}
