import CustosCore
import CustosTestSupport
import Foundation
import Testing

@testable import CustosStorage

/// RFC 9126 §4 (one-time use), §2.2 (bound to the client) and §7.1 (expiry) as the store keeps
/// them, on both backends.
@Suite("PushedAuthorizationStore contract")
struct PushedAuthorizationStoreContractTests {
    static func request(_ digest: String, clientID: String = "cl_a", lifetime: TimeInterval = 60) -> PushedAuthorizationRequest {
        PushedAuthorizationRequest(
            digest: digest,
            tenant: .default,
            clientID: clientID,
            parameters: ["response_type": "code", "client_id": clientID, "state": "s-1", "dpop_jkt": "thumbprint"],
            createdAt: StorageFixtures.at(0),
            expiresAt: StorageFixtures.at(lifetime)
        )
    }

    @Test("when a pushed request is consumed then it comes back once with its parameters and never again", arguments: TestDatabase.all)
    func singleUse(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            let stored = Self.request("digest-a")
            try await storage.insert(stored)
            let first = try await storage.consume(digest: "digest-a", clientID: "cl_a", tenant: .default, now: StorageFixtures.at(5))
            var expected = stored
            expected.consumedAt = StorageFixtures.at(5)
            #expect(first == expected)
            #expect(try await storage.consume(digest: "digest-a", clientID: "cl_a", tenant: .default, now: StorageFixtures.at(6)) == nil)
        }
    }

    @Test("when 12 consumers race for one pushed request then exactly one gets it", arguments: TestDatabase.all)
    func concurrentConsume(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            try await storage.insert(Self.request("digest-race"))
            let won = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await storage.consume(digest: "digest-race", clientID: "cl_a", tenant: .default, now: StorageFixtures.at(1)) != nil
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(won == 1)
        }
    }

    @Test(
        "when a pushed request has expired, or is asked for by another client or tenant, then it is not given out and stays usable by its client",
        arguments: TestDatabase.all
    )
    func expiryAndBinding(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            try await storage.insert(Self.request("digest-b"))
            #expect(try await storage.consume(digest: "digest-b", clientID: "cl_other", tenant: .default, now: StorageFixtures.at(1)) == nil)
            #expect(
                try await storage.consume(digest: "digest-b", clientID: "cl_a", tenant: TenantID(rawValue: "acme"), now: StorageFixtures.at(1))
                    == nil
            )
            #expect(try await storage.consume(digest: "digest-unknown", clientID: "cl_a", tenant: .default, now: StorageFixtures.at(1)) == nil)
            // At the expiry instant it is gone (expires_at is exclusive).
            #expect(try await storage.consume(digest: "digest-b", clientID: "cl_a", tenant: .default, now: StorageFixtures.at(60)) == nil)
            try await storage.insert(Self.request("digest-c"))
            #expect(try await storage.consume(digest: "digest-c", clientID: "cl_a", tenant: .default, now: StorageFixtures.at(59)) != nil)
        }
    }

    @Test("when a new request is pushed then expired ones are swept and live ones kept", arguments: TestDatabase.all)
    func sweep(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            try await storage.insert(Self.request("digest-old", lifetime: 10))
            try await storage.insert(Self.request("digest-live", lifetime: 120))
            var later = Self.request("digest-new")
            later.createdAt = StorageFixtures.at(30)
            later.expiresAt = StorageFixtures.at(90)
            try await storage.insert(later)
            let rows = try await storage.database.query("SELECT digest FROM pushed_authorization_requests ORDER BY digest", [])
            #expect(try rows.map { try $0.string("digest") } == ["digest-live", "digest-new"])
        }
    }
}
