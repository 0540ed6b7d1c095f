import CustosCore
import CustosStorage
import Foundation
import Logging
import Testing

/// A PostgreSQL server that cannot be reached fails every operation with
/// `StorageUnavailable` (answered 503 + `Retry-After` by the HTTP layer) within the backend's
/// deadline, instead of holding requests until the pool's circuit breaker trips.
@Suite("PostgreSQL unavailable")
struct PostgresUnavailableTests {
    static func unreachable() async throws -> SQLStorage {
        // A port that was free a moment ago: nothing listens there.
        let port = try FreePort.find()
        guard let location = StorageLocation("postgres://custos@127.0.0.1:\(port)/custos?request_timeout=1") else { throw CancellationError() }
        return try await location.open(logger: Logger(label: "test"))
    }

    @Test("when the server cannot be reached then reads and writes throw StorageUnavailable within the request timeout")
    func failsFast() async throws {
        let storage = try await Self.unreachable()
        defer { Task { try? await storage.close() } }
        await #expect(throws: StorageUnavailable.self) { _ = try await storage.recordHit(key: "k", windowStart: 0, windowEnd: 60) }
        let started = ContinuousClock.now
        await #expect(throws: StorageUnavailable.self) { _ = try await storage.client(clientID: "app", tenant: .default) }
        let elapsed = ContinuousClock.now - started
        // Bounded by request_timeout=1 (plus a loaded machine's slack); without the deadline the
        // request would wait for the pool's circuit breaker, 15 s or more.
        #expect(elapsed < .seconds(8), "took \(elapsed)")
    }
}

extension PostgresUnavailableTests {
    @Test("when the server cannot be reached then concurrent token records fail once, after one deadline, not once per caller")
    func groupCommitFailsOnce() async throws {
        let port = try FreePort.find()
        let storage = try await #require(StorageLocation("postgres://custos@127.0.0.1:\(port)/custos?request_timeout=2"))
            .open(logger: Logger(label: "test"))
        defer { Task { try? await storage.close() } }
        let client = StorageFixtures.client()
        let started = ContinuousClock.now
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        try await storage.record([StorageFixtures.token(for: client)])
                        return false
                    } catch {
                        return error is StorageUnavailable
                    }
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        let elapsed = ContinuousClock.now - started
        #expect(failures == 5)
        // At most two 2 s deadlines (the first caller may flush alone, the other four together).
        // Retrying each caller after a failed batch would add five more deadlines, 10 s or more;
        // the bound sits between the two so that a loaded machine's slack does not fail it.
        #expect(elapsed < .seconds(9), "took \(elapsed)")
    }
}

enum FreePort {
    struct NoPort: Error {}

    /// Binds port 0 on loopback and returns the port the kernel chose.
    static func find() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw NoPort() }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw NoPort() }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
