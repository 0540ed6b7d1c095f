import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

/// The rate limiter's counters: the SQL store on both backends (what nodes sharing
/// PostgreSQL count into) and the in-memory store of a single node follow one contract.
@Suite("RateLimitStore contract")
struct RateLimitStoreContractTests {
    enum Subject: CustomTestStringConvertible, Sendable {
        case sql(TestDatabase)
        case memory

        static var all: [Subject] { TestDatabase.all.map(Subject.sql) + [.memory] }
        var testDescription: String {
            switch self {
            case .sql(let database): "SQL on \(database)"
            case .memory: "in memory"
            }
        }

        func with(_ body: (any RateLimitStore) async throws -> Void) async throws {
            switch self {
            case .sql(let database): try await StorageFixtures.withStorage(database) { try await body($0) }
            case .memory: try await body(InMemoryRateLimitStore())
            }
        }
    }

    @Test("when a key is hit repeatedly within a window then the counts are 1, 2, 3 and other keys count apart", arguments: Subject.all)
    func counts(subject: Subject) async throws {
        try await subject.with { store async throws in
            #expect(try await store.recordHit(key: "a", windowStart: 600, windowEnd: 660) == 1)
            #expect(try await store.recordHit(key: "a", windowStart: 600, windowEnd: 660) == 2)
            #expect(try await store.recordHit(key: "b", windowStart: 600, windowEnd: 660) == 1)
            #expect(try await store.recordHit(key: "a", windowStart: 600, windowEnd: 660) == 3)
        }
    }

    @Test("when the next window starts then the key counts from 1 again", arguments: Subject.all)
    func nextWindow(subject: Subject) async throws {
        try await subject.with { store async throws in
            for _ in 0..<5 { _ = try await store.recordHit(key: "a", windowStart: 600, windowEnd: 660) }
            #expect(try await store.recordHit(key: "a", windowStart: 660, windowEnd: 720) == 1)
            #expect(try await store.recordHit(key: "a", windowStart: 660, windowEnd: 720) == 2)
        }
    }

    @Test("when 40 hits arrive at once then each sees its own count: exactly 1 through 40", arguments: Subject.all)
    func concurrentHits(subject: Subject) async throws {
        try await subject.with { store async throws in
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 { group.addTask { try await store.recordHit(key: "race", windowStart: 600, windowEnd: 660) } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.sorted() == Array(1...40))
        }
    }

    @Test("when the SQL store serves PostgreSQL then it is shared between nodes; SQLite is not", arguments: TestDatabase.all)
    func sharedFlag(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            #expect(storage.isShared == (database == .postgres))
        }
    }
}

/// `RateLimiter` on top of a store: the limit, the epoch-aligned window and `Retry-After`.
@Suite("RateLimiter")
struct RateLimiterTests {
    @Test("when a caller exceeds the limit then it is refused with the seconds left in the window, and admitted again in the next")
    func limitAndRetryAfter() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_015.5))
        let limiter = RateLimiter(store: InMemoryRateLimitStore(), clock: clock, tenant: .default)
        let policy = RateLimitPolicy(limit: 3, window: 60)
        for _ in 0..<3 { try await limiter.admit(.token, caller: "app", policy: policy) }
        // Window [1_800_000_000, 1_800_000_060): 44.5 s left, rounded up.
        await #expect(throws: RateLimited(retryAfter: 45)) { try await limiter.admit(.token, caller: "app", policy: policy) }
        // Another caller and another bucket have their own counters.
        try await limiter.admit(.token, caller: "other", policy: policy)
        try await limiter.admit(.login, caller: "app", policy: policy)
        clock.advance(by: 44.5)
        try await limiter.admit(.token, caller: "app", policy: policy)
    }

    @Test("when the limit is 0 then nothing is counted or refused")
    func off() async throws {
        let limiter = RateLimiter(store: InMemoryRateLimitStore(), clock: ManualClock(Date()), tenant: .default)
        for _ in 0..<100 { try await limiter.admit(.token, caller: "app", policy: .off) }
    }
}
