import Dispatch
import Foundation
import Synchronization

/// Runs password hashing (scrypt: about 100 ms of CPU and 128 MiB at the OWASP cost) off the
/// request executor. Swift concurrency runs every request on a cooperative pool of one thread
/// per core; a scrypt call there takes the thread for its whole duration, so a few concurrent
/// sign-ins would stall every other request, JWKS and token requests included. Here at most
/// `threads` hashes run at once, on Dispatch worker threads outside that pool, and at most
/// `queueLimit` wait; beyond that a request is refused at once (`PasswordHashingBusy`, a 503
/// with `Retry-After`) instead of queueing without bound.
public final class PasswordHashingPool: Sendable {
    public let threads: Int
    public let queueLimit: Int

    private struct State {
        var idle: [Int]
        var waiting: [Job] = []
        var waitingStart = 0
        var waitingCount: Int { waiting.count - waitingStart }

        mutating func popWaiting() -> Job? {
            guard waitingStart < waiting.count else { return nil }
            let job = waiting[waitingStart]
            waitingStart += 1
            if waitingStart > 64, waitingStart * 2 > waiting.count {
                waiting.removeFirst(waitingStart)
                waitingStart = 0
            }
            return job
        }
    }

    /// Runs the work and returns how to hand its result back: called only after the slot is
    /// given back, so a caller that submits again at once finds the slot free.
    private typealias Job = @Sendable () -> (@Sendable () -> Void)
    private enum Admission {
        case start(Int)
        case queued, refused
    }
    private let state: Mutex<State>
    /// One serial queue per thread: serial queues are "overcommit" in libdispatch, so each
    /// busy one gets a thread of its own (a concurrent queue would share the global pool's
    /// few threads); an idle queue holds no thread.
    private let queues: [DispatchQueue]

    /// The default: half the cores (at least one), so sign-ins never take the whole machine.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount / 2) }
    public static let defaultQueueLimit = 32

    public init(threads: Int = PasswordHashingPool.defaultThreads, queueLimit: Int = PasswordHashingPool.defaultQueueLimit) {
        self.threads = max(1, threads)
        self.queueLimit = max(0, queueLimit)
        self.queues = (0..<self.threads).map { DispatchQueue(label: "custos.password-hashing.\($0)", qos: .userInitiated) }
        self.state = Mutex(State(idle: Array((0..<self.threads).reversed())))
    }

    /// Runs `work` on a pool thread and returns its result; throws `PasswordHashingBusy`
    /// without running it when `threads` jobs run and `queueLimit` wait already.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job: Job = {
                let result = Result { try work() }
                return { continuation.resume(with: result) }
            }
            let admission = state.withLock { state -> Admission in
                if let slot = state.idle.popLast() { return .start(slot) }
                guard state.waitingCount < queueLimit else { return .refused }
                state.waiting.append(job)
                return .queued
            }
            switch admission {
            case .start(let slot): queues[slot].async { self.drain(slot: slot, first: job) }
            case .queued: break
            case .refused: continuation.resume(throwing: PasswordHashingBusy(retryAfter: 1))
            }
        }
    }

    /// One pool thread's loop: run the job, then whatever waits, then give the slot back.
    private func drain(slot: Int, first: @escaping Job) {
        var next: Job? = first
        while let job = next {
            let finish = job()
            next = state.withLock { state in
                if let waiting = state.popWaiting() { return waiting }
                state.idle.append(slot)
                return nil
            }
            finish()
        }
    }
}

/// Every password hashing slot is taken and the queue is full: try again in `retryAfter`
/// seconds (answered with 503 and `Retry-After`, RFC 9110 §15.6.4, §10.2.3).
public struct PasswordHashingBusy: Error, Sendable, Equatable {
    public let retryAfter: Int
    public init(retryAfter: Int) { self.retryAfter = retryAfter }
}
