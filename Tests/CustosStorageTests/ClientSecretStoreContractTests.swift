import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

@Suite("ClientSecretStore contract")
struct ClientSecretStoreContractTests {
    typealias F = StorageFixtures

    func auditCount(_ storage: SQLStorage, _ client: OAuthClient) async throws -> Int {
        try await storage.auditEvents(targetID: client.clientID, tenant: .default, page: PageRequest()).total
    }

    @Test("when secrets are added up to maximumActive then the next add returns false and stores nothing", arguments: TestDatabase.all)
    func addRespectsMaximum(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, first) = try await F.insertClient(storage)
            let second = F.secret(for: client, lastFour: "2222", createdAt: F.at(1))
            #expect(try await storage.add(second, maximumActive: 2, audit: F.audit("client.secret.create", target: client, at: F.at(1))))
            let third = F.secret(for: client, lastFour: "3333", createdAt: F.at(2))
            #expect(!(try await storage.add(third, maximumActive: 2, audit: F.audit("client.secret.create", target: client, at: F.at(2)))))
            let stored = try await storage.secrets(clientRecordID: client.id, tenant: .default)
            #expect(stored.map(\.id) == [first.id, second.id])
            #expect(try await auditCount(storage, client) == 2)
            #expect(try await storage.client(clientID: client.clientID, tenant: .default)?.secretLastFour == "2222")
        }
    }

    @Test("when inactive or rotated secrets exist then they do not count towards maximumActive", arguments: TestDatabase.all)
    func addIgnoresInactive(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let off = F.secret(for: client, lastFour: "0ff0", status: .inactive, createdAt: F.at(1))
            #expect(try await storage.add(off, maximumActive: 2, audit: F.audit("client.secret.create", target: client, at: F.at(1))))
            var rotated = F.secret(for: client, lastFour: "r0t8", status: .rotated, createdAt: F.at(2))
            rotated.expiresAt = F.at(3_600)
            #expect(try await storage.add(rotated, maximumActive: 2, audit: F.audit("client.secret.create", target: client, at: F.at(2))))
            let second = F.secret(for: client, lastFour: "2222", createdAt: F.at(3))
            #expect(try await storage.add(second, maximumActive: 2, audit: F.audit("client.secret.create", target: client, at: F.at(3))))
            let third = F.secret(for: client, lastFour: "3333", createdAt: F.at(4))
            #expect(!(try await storage.add(third, maximumActive: 2, audit: F.audit("client.secret.create", target: client, at: F.at(4)))))
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).count == 4)
        }
    }

    @Test("when concurrent adds race for the last free slot then exactly one wins", arguments: TestDatabase.all)
    func concurrentAdds(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await storage.add(
                            F.secret(for: client, lastFour: "000\(index)", createdAt: F.at(Double(index + 1))),
                            maximumActive: 2,
                            audit: F.audit("client.secret.create", target: client, at: F.at(Double(index + 1)))
                        )
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).filter { $0.status == .active }.count == 2)
        }
    }

    @Test("when a secret is rotated then every active one becomes rotated until the grace end and the new one is active", arguments: TestDatabase.all)
    func rotate(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, first) = try await F.insertClient(storage)
            let second = F.secret(for: client, lastFour: "2222", createdAt: F.at(1))
            _ = try await storage.add(second, maximumActive: 2, audit: F.audit("client.secret.create", target: client, at: F.at(1)))
            var retired = F.secret(for: client, lastFour: "dead", createdAt: F.at(2))
            retired.status = .inactive
            _ = try await storage.add(retired, maximumActive: 5, audit: F.audit("client.secret.create", target: client, at: F.at(2)))

            let fresh = F.secret(for: client, lastFour: "9999", createdAt: F.at(100))
            let graceUntil = F.at(100 + 4 * 3_600)
            try await storage.rotate(to: fresh, graceUntil: graceUntil, audit: F.audit("client.secret.rotate", target: client, at: F.at(100)))

            let stored = Dictionary(uniqueKeysWithValues: try await storage.secrets(clientRecordID: client.id, tenant: .default).map { ($0.id, $0) })
            for id in [first.id, second.id] {
                let old = try #require(stored[id])
                #expect(old.status == .rotated)
                #expect(old.expiresAt == graceUntil)
                #expect(old.accepts(at: F.at(100 + 4 * 3_600 - 1)))
                #expect(!old.accepts(at: graceUntil))
            }
            #expect(stored[retired.id]?.status == .inactive)
            #expect(stored[retired.id]?.expiresAt == nil)
            #expect(stored[fresh.id] == fresh)
            #expect(try await storage.client(clientID: client.clientID, tenant: .default)?.secretLastFour == "9999")
            let events = try await storage.auditEvents(targetID: client.clientID, tenant: .default, page: PageRequest())
            #expect(events.items.first?.action == "client.secret.rotate")
        }
    }

    @Test("when the only active secret is deleted or deactivated then lastActiveSecret is returned and nothing changes", arguments: TestDatabase.all)
    func lastActiveSecret(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, only) = try await F.insertClient(storage)
            let deleted = try await storage.delete(
                secretID: only.id,
                clientRecordID: client.id,
                tenant: .default,
                audit: F.audit("client.secret.delete", target: client)
            )
            #expect(deleted == .lastActiveSecret)
            let deactivated = try await storage.deactivate(
                secretID: only.id,
                clientRecordID: client.id,
                tenant: .default,
                at: F.at(5),
                audit: F.audit("client.secret.deactivate", target: client)
            )
            #expect(deactivated == .lastActiveSecret)
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default) == [only])
            #expect(try await auditCount(storage, client) == 1)
        }
    }

    @Test("when a rotated secret is still in its grace period then the new active secret is still the last one", arguments: TestDatabase.all)
    func lastActiveAfterRotation(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, old) = try await F.insertClient(storage)
            let fresh = F.secret(for: client, lastFour: "9999", createdAt: F.at(10))
            try await storage.rotate(to: fresh, graceUntil: F.at(10 + 14_400), audit: F.audit("client.secret.rotate", target: client, at: F.at(10)))
            #expect(
                try await storage.delete(secretID: fresh.id, clientRecordID: client.id, tenant: .default, audit: F.audit("d", target: client))
                    == .lastActiveSecret
            )
            // The rotated one may go: it is not active.
            let outcome = try await storage.delete(secretID: old.id, clientRecordID: client.id, tenant: .default, audit: F.audit("d", target: client))
            guard case .changed(let removed) = outcome else {
                Issue.record("expected .changed, got \(outcome)")
                return
            }
            #expect(removed.id == old.id)
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).map(\.id) == [fresh.id])
        }
    }

    @Test("when a secret id is unknown or belongs to another client then notFound is returned", arguments: TestDatabase.all)
    func notFound(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, secret) = try await F.insertClient(storage)
            let (other, _) = try await F.insertClient(storage, name: "Other", createdAt: F.at(1))
            #expect(
                try await storage.delete(secretID: ULID.make(), clientRecordID: client.id, tenant: .default, audit: F.audit("d", target: client))
                    == .notFound
            )
            #expect(
                try await storage.deactivate(
                    secretID: ULID.make(),
                    clientRecordID: client.id,
                    tenant: .default,
                    at: F.at(1),
                    audit: F.audit("d", target: client)
                )
                    == .notFound
            )
            #expect(
                try await storage.delete(secretID: secret.id, clientRecordID: other.id, tenant: .default, audit: F.audit("d", target: other))
                    == .notFound
            )
            #expect(
                try await storage.delete(
                    secretID: secret.id,
                    clientRecordID: client.id,
                    tenant: TenantID(rawValue: "other"),
                    audit: F.audit("d", target: client)
                )
                    == .notFound
            )
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default) == [secret])
        }
    }

    @Test("when one of two active secrets is deleted then it is gone and an audit event is written", arguments: TestDatabase.all)
    func deleteOneOfTwo(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, first) = try await F.insertClient(storage)
            let second = F.secret(for: client, lastFour: "2222", createdAt: F.at(1))
            _ = try await storage.add(second, maximumActive: 2, audit: F.audit("client.secret.create", target: client, at: F.at(1)))
            let outcome = try await storage.delete(
                secretID: first.id,
                clientRecordID: client.id,
                tenant: .default,
                audit: F.audit("client.secret.delete", target: client, at: F.at(2))
            )
            #expect(outcome == .changed(first))
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default) == [second])
            #expect(try await auditCount(storage, client) == 3)
        }
    }

    @Test("when one of two active secrets is deactivated then it is inactive, kept, and no longer accepted", arguments: TestDatabase.all)
    func deactivateOneOfTwo(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, first) = try await F.insertClient(storage)
            let second = F.secret(for: client, lastFour: "2222", createdAt: F.at(1))
            _ = try await storage.add(second, maximumActive: 2, audit: F.audit("client.secret.create", target: client, at: F.at(1)))
            let outcome = try await storage.deactivate(
                secretID: first.id,
                clientRecordID: client.id,
                tenant: .default,
                at: F.at(7),
                audit: F.audit("client.secret.deactivate", target: client, at: F.at(7))
            )
            guard case .changed(let changed) = outcome else {
                Issue.record("expected .changed, got \(outcome)")
                return
            }
            #expect(changed.id == first.id && changed.status == .inactive && changed.updatedAt == F.at(7))
            let stored = try await storage.secrets(clientRecordID: client.id, tenant: .default)
            #expect(stored.map(\.status) == [.inactive, .active])
            #expect(stored[0] == changed)
            #expect(!stored[0].accepts(at: F.at(8)))
            #expect(try await auditCount(storage, client) == 3)
            // Now the second is the last active one.
            #expect(
                try await storage.deactivate(
                    secretID: second.id,
                    clientRecordID: client.id,
                    tenant: .default,
                    at: F.at(9),
                    audit: F.audit("d", target: client)
                )
                    == .lastActiveSecret
            )
        }
    }

    @Test("when a secret is used then last_used_at is set, at most once a minute", arguments: TestDatabase.all)
    func markUsed(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, secret) = try await F.insertClient(storage)
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).first?.lastUsedAt == nil)
            try await storage.markUsed(secretID: secret.id, at: F.at(100))
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).first?.lastUsedAt == F.at(100))
            try await storage.markUsed(secretID: secret.id, at: F.at(130))
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).first?.lastUsedAt == F.at(100))
            try await storage.markUsed(secretID: secret.id, at: F.at(161))
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).first?.lastUsedAt == F.at(161))
            try await storage.markUsed(secretID: ULID.make(), at: F.at(200))
        }
    }
}
