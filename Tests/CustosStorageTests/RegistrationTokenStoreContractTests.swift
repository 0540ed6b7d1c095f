import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

@Suite("RegistrationTokenStore contract")
struct RegistrationTokenStoreContractTests {
    static func token(_ digest: String, maxUses: Int?, expiresAt: Date) -> RegistrationToken {
        RegistrationToken(
            id: ULID.make(),
            tenant: .default,
            digest: digest,
            policy: RegistrationPolicy(scopes: ["read:orders"], grantTypes: [.clientCredentials]),
            expiresAt: expiresAt,
            maxUses: maxUses,
            uses: 0,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000)
        )
    }

    static func audit(_ id: String) -> AuditEvent {
        AuditEvent(tenant: .default, action: "registration_token.test", targetID: id, actor: .system, message: "test", createdAt: Date())
    }

    @Test(
        "when a token is stored then it reads back by digest with its policy, and 12 concurrent uses of max_uses 5 count exactly 5",
        arguments: TestDatabase.all
    )
    func useIsAtomic(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let stored = Self.token("digest-a", maxUses: 5, expiresAt: now.addingTimeInterval(600))
            try await storage.insertRegistrationToken(stored, audit: Self.audit(stored.id))
            #expect(try await storage.registrationToken(digest: "digest-a", tenant: .default) == stored)
            #expect(try await storage.registrationToken(digest: "digest-a", tenant: TenantID(rawValue: "acme")) == nil)
            let used = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await storage.useRegistrationToken(digest: "digest-a", tenant: .default, at: now) != nil }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(used == 5)
            #expect(try await storage.registrationToken(digest: "digest-a", tenant: .default)?.uses == 5)
        }
    }

    @Test("when a token has expired or is deleted then no use is counted, and it is listed until deleted", arguments: TestDatabase.all)
    func expiryAndDelete(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let stored = Self.token("digest-b", maxUses: nil, expiresAt: now.addingTimeInterval(60))
            try await storage.insertRegistrationToken(stored, audit: Self.audit(stored.id))
            #expect(try await storage.useRegistrationToken(digest: "digest-b", tenant: .default, at: now.addingTimeInterval(61)) == nil)
            #expect(try await storage.useRegistrationToken(digest: "digest-b", tenant: .default, at: now)?.uses == 1)
            #expect(try await storage.registrationTokens(tenant: .default, page: PageRequest()).items.map(\.id) == [stored.id])
            #expect(try await storage.deleteRegistrationToken(id: stored.id, tenant: .default, audit: Self.audit(stored.id)))
            #expect(!(try await storage.deleteRegistrationToken(id: stored.id, tenant: .default, audit: Self.audit(stored.id))))
            #expect(try await storage.useRegistrationToken(digest: "digest-b", tenant: .default, at: now) == nil)
            #expect(try await storage.registrationTokens(tenant: .default, page: PageRequest()).total == 0)
        }
    }
}
