import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

@Suite("SigningKeyStore contract")
struct SigningKeyStoreContractTests {
    typealias F = StorageFixtures

    static func key(
        _ kid: String,
        status: StoredSigningKey.Status = .active,
        activatesAt: Date = StorageFixtures.epoch,
        tenant: TenantID = .default
    )
        -> StoredSigningKey
    {
        StoredSigningKey(
            kid: kid,
            tenant: tenant,
            algorithm: .ES256,
            publicJWK: "{\"kid\":\"\(kid)\",\"kty\":\"EC\"}",
            sealedPrivateKey: "sealed-\(kid)",
            status: status,
            createdAt: F.epoch,
            activatesAt: activatesAt
        )
    }

    @Test("when the first key is inserted then only the first call succeeds", arguments: TestDatabase.all)
    func insertFirstKeyOnce(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            #expect(try await storage.signingKeys(tenant: .default).isEmpty)
            #expect(try await storage.insertFirstKey(Self.key("first")))
            #expect(!(try await storage.insertFirstKey(Self.key("second"))))
            #expect(try await storage.signingKeys(tenant: .default) == [Self.key("first")])
            // Another tenant has its own first key.
            let acme = TenantID(rawValue: "acme")
            #expect(try await storage.insertFirstKey(Self.key("acme-first", tenant: acme)))
            #expect(try await storage.signingKeys(tenant: acme).map(\.kid) == ["acme-first"])
        }
    }

    @Test("when several nodes insert the first key at once then exactly one succeeds", arguments: TestDatabase.all)
    func insertFirstKeyConcurrently(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 { group.addTask { try await storage.insertFirstKey(Self.key("k\(index)")) } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await storage.signingKeys(tenant: .default).count == 1)
        }
    }

    @Test("when keys are inserted and updated then they come back ordered by activation with the new state", arguments: TestDatabase.all)
    func insertAndUpdate(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            var active = Self.key("active")
            #expect(try await storage.insertFirstKey(active))
            var next = Self.key("next", status: .next, activatesAt: F.at(86_400))
            try await storage.insert(next)
            #expect(try await storage.signingKeys(tenant: .default) == [active, next])

            active.status = .retired
            active.retiresAt = F.at(86_400 + 900)
            next.status = .active
            try await storage.update(active)
            try await storage.update(next)
            #expect(try await storage.signingKeys(tenant: .default) == [active, next])
        }
    }

    @Test("when a kid is inserted twice then it is a StorageConflict", arguments: TestDatabase.all)
    func duplicateKid(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            try await storage.insert(Self.key("same"))
            await #expect(throws: StorageConflict.self) { try await storage.insert(Self.key("same", status: .next)) }
            #expect(try await storage.signingKeys(tenant: .default).map(\.status) == [.active])
        }
    }
}
