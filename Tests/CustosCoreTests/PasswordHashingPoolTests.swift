import CustosCore
import Foundation
import Synchronization
import Testing

/// The password hashing pool (rule 10): hashing runs on its own threads, at most `threads` at
/// once and `queueLimit` waiting; beyond that a request is refused at once.
@Suite("Password hashing pool")
struct PasswordHashingPoolTests {
    /// A gate a pool job waits on, opened from the test.
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        let entered = Atomic<Int>(0)
        func wait() {
            _ = entered.add(1, ordering: .relaxed)
            semaphore.wait()
        }
        func open(_ count: Int) { for _ in 0..<count { semaphore.signal() } }
    }

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func add(_ amount: Int) { _ = value.add(amount, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    static func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test(
        "when every thread is busy and the queue is full then the next job is refused at once with PasswordHashingBusy, and the queued ones still run"
    )
    func boundedQueue() async throws {
        let pool = PasswordHashingPool(threads: 1, queueLimit: 2)
        let gate = Gate()
        let done = Counter()
        let running = Task {
            try await pool.run {
                gate.wait()
                done.add(1)
            }
        }
        try await Self.waitUntil { gate.entered.load(ordering: .relaxed) == 1 }
        let queued = (0..<2).map { _ in Task { try await pool.run { done.add(1) } } }
        try await Task.sleep(for: .milliseconds(50))
        #expect(done.count == 0, "one thread: the queued jobs wait for the running one")
        let started = ContinuousClock.now
        await #expect(throws: PasswordHashingBusy(retryAfter: 1)) { try await pool.run { done.add(100) } }
        #expect(ContinuousClock.now - started < .seconds(1), "a refusal must not wait")
        gate.open(1)
        try await running.value
        for task in queued { try await task.value }
        #expect(done.count == 3, "the refused job never ran")
    }

    @Test("when hashing jobs block the pool's threads then other async work still runs (the pool is not Swift's cooperative executor)")
    func offTheCooperativePool() async throws {
        let threads = ProcessInfo.processInfo.activeProcessorCount + 2
        let pool = PasswordHashingPool(threads: threads, queueLimit: 0)
        let gate = Gate()
        let jobs = (0..<threads).map { _ in Task { try await pool.run { gate.wait() } } }
        try await Self.waitUntil { gate.entered.load(ordering: .relaxed) == threads }
        // More blocked jobs than cores: on the cooperative executor nothing else could run now.
        let other = await Task.detached { 21 * 2 }.value
        #expect(other == 42)
        gate.open(threads)
        for job in jobs { try await job.value }
    }

    @Test("when a hasher verifies through the pool then the result is the same and every derivation is counted")
    func hasherThroughPool() async throws {
        let hasher = PasswordHasher(parameters: .testing, pool: PasswordHashingPool(threads: 1, queueLimit: 4))
        let phc = try await hasher.hashing("correct horse battery staple")
        #expect(try await hasher.verifying("correct horse battery staple", against: phc).matches)
        #expect(try await !hasher.verifying("wrong", against: phc).matches)
        #expect(hasher.derivations == 3)
    }
}
