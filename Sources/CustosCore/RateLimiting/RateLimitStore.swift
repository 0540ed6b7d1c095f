import Synchronization

/// Request counters of the `RateLimiter`.
public protocol RateLimitStore: Sendable {
    /// Adds one hit to `key`'s counter of the window `[windowStart, windowEnd)` (Unix seconds)
    /// and returns the count including it. Atomic: concurrent callers, also on other nodes
    /// sharing the store, never see the same count twice.
    func recordHit(key: String, windowStart: Int64, windowEnd: Int64) async throws -> Int
}

/// Counters in this process's memory, for a single node (SQLite): no database write on the
/// request path. Holds the current window of each key only; stale keys are dropped when the
/// table grows.
public final class InMemoryRateLimitStore: RateLimitStore {
    private struct Counter {
        var windowStart: Int64
        var windowEnd: Int64
        var hits: Int
    }

    private let counters = Mutex<[String: Counter]>([:])
    private let pruneThreshold: Int

    public init(pruneThreshold: Int = 100_000) {
        self.pruneThreshold = pruneThreshold
    }

    public func recordHit(key: String, windowStart: Int64, windowEnd: Int64) async throws -> Int {
        counters.withLock { counters in
            if counters.count >= pruneThreshold {
                counters = counters.filter { $0.value.windowEnd > windowStart }
            }
            var counter = counters[key] ?? Counter(windowStart: windowStart, windowEnd: windowEnd, hits: 0)
            if counter.windowStart != windowStart {
                counter = Counter(windowStart: windowStart, windowEnd: windowEnd, hits: 0)
            }
            counter.hits += 1
            counters[key] = counter
            return counter.hits
        }
    }
}
