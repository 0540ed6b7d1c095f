import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

@Suite("ClientStore contract")
struct ClientStoreContractTests {
    typealias F = StorageFixtures

    @Test("when a client is inserted then get returns it field for field with its secret's last four", arguments: TestDatabase.all)
    func insertAndGet(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            var client = F.client()
            client.jwks = "{\"keys\":[]}"
            client.jwksURI = nil
            client.fapiProfile = .fapi2
            let secret = F.secret(for: client, lastFour: "wxyz")
            try await storage.insert(client, secrets: [secret], audit: F.audit("client.create", target: client))
            let stored = try #require(try await storage.client(clientID: client.clientID, tenant: .default))
            client.secretLastFour = "wxyz"
            #expect(stored == client)
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default) == [secret])
        }
    }

    @Test("when a client id is unknown or belongs to another tenant then get returns nil", arguments: TestDatabase.all)
    func getMissing(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            #expect(try await storage.client(clientID: "cl_unknown", tenant: .default) == nil)
            #expect(try await storage.client(clientID: client.clientID, tenant: TenantID(rawValue: "other")) == nil)
        }
    }

    @Test("when a public client has no secret then it is stored without last four", arguments: TestDatabase.all)
    func noSecret(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            var client = F.client()
            client.isConfidential = false
            client.authMethods = [.none]
            try await storage.insert(client, secrets: [], audit: F.audit("client.create", target: client))
            let stored = try #require(try await storage.client(clientID: client.clientID, tenant: .default))
            #expect(stored.secretLastFour == nil)
            #expect(!stored.isConfidential && stored.authMethods == [.none])
        }
    }

    @Test("when a client id is inserted twice then the second insert is a StorageConflict and stores nothing", arguments: TestDatabase.all)
    func duplicateClientID(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (first, _) = try await F.insertClient(storage)
            var second = F.client(clientID: first.clientID, name: "Impostor")
            second.id = ULID.make()
            let secret = F.secret(for: second)
            await #expect(throws: StorageConflict.self) {
                try await storage.insert(second, secrets: [secret], audit: F.audit("client.create", target: second))
            }
            #expect(try await storage.client(clientID: first.clientID, tenant: .default)?.name == "Example App")
            #expect(try await storage.secrets(clientRecordID: second.id, tenant: .default).isEmpty)
            // The failed insert's audit event was rolled back with it.
            #expect(try await storage.auditEvents(targetID: first.clientID, tenant: .default, page: PageRequest()).total == 1)
        }
    }

    @Test("when the same client id is used in another tenant then both exist", arguments: TestDatabase.all)
    func sameIDOtherTenant(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (first, _) = try await F.insertClient(storage)
            let other = F.client(clientID: first.clientID, name: "Other tenant", tenant: TenantID(rawValue: "acme"))
            try await storage.insert(other, secrets: [], audit: F.audit("client.create", target: other))
            #expect(try await storage.client(clientID: first.clientID, tenant: TenantID(rawValue: "acme"))?.name == "Other tenant")
            #expect(try await storage.client(clientID: first.clientID, tenant: .default)?.name == "Example App")
        }
    }

    @Test("when clients are listed with a name filter then it matches case-insensitive substrings", arguments: TestDatabase.all)
    func nameFilter(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            for (index, name) in ["Alpha App", "Beta Service", "alphabet soup", "Gamma"].enumerated() {
                try await F.insertClient(storage, name: name, createdAt: F.at(Double(index)))
            }
            let page = try await storage.clients(tenant: .default, nameContains: "ALPHA", status: nil, page: PageRequest())
            #expect(page.items.map(\.name) == ["alphabet soup", "Alpha App"])
            #expect(page.total == 2)
            let none = try await storage.clients(tenant: .default, nameContains: "delta", status: nil, page: PageRequest())
            #expect(none.items.isEmpty && none.total == 0)
        }
    }

    @Test("when the name filter contains %, _ or \\ then they are taken literally", arguments: TestDatabase.all)
    func nameFilterWildcards(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            for (index, name) in ["100% Pure", "1000 Pure", "snake_case", "snakeXcase", "back\\slash", "backslash"].enumerated() {
                try await F.insertClient(storage, name: name, createdAt: F.at(Double(index)))
            }
            func names(_ filter: String) async throws -> [String] {
                try await storage.clients(tenant: .default, nameContains: filter, status: nil, page: PageRequest()).items.map(\.name)
            }
            #expect(try await names("%") == ["100% Pure"])
            #expect(try await names("0%") == ["100% Pure"])
            #expect(try await names("_") == ["snake_case"])
            #expect(try await names("e_c") == ["snake_case"])
            #expect(try await names("\\") == ["back\\slash"])
            #expect(try await names("k\\s") == ["back\\slash"])
        }
    }

    @Test("when clients are listed with a status filter then only that status is returned", arguments: TestDatabase.all)
    func statusFilter(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            try await F.insertClient(storage, name: "on", status: .active, createdAt: F.at(0))
            try await F.insertClient(storage, name: "off", status: .suspended, createdAt: F.at(1))
            try await F.insertClient(storage, name: "on too", status: .active, createdAt: F.at(2))
            let suspended = try await storage.clients(tenant: .default, nameContains: nil, status: .suspended, page: PageRequest())
            #expect(suspended.items.map(\.name) == ["off"] && suspended.total == 1)
            let active = try await storage.clients(tenant: .default, nameContains: "on", status: .active, page: PageRequest())
            #expect(active.items.map(\.name) == ["on too", "on"] && active.total == 2)
        }
    }

    @Test("when clients are paged then pages are newest first and total counts all matches", arguments: TestDatabase.all)
    func pagination(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            for index in 0..<5 {
                try await F.insertClient(storage, name: "client \(index)", createdAt: F.at(Double(index) * 60))
            }
            var seen: [String] = []
            for page in 1...3 {
                let result = try await storage.clients(tenant: .default, nameContains: nil, status: nil, page: PageRequest(page: page, pageSize: 2))
                #expect(result.total == 5)
                #expect(result.totalPages == 3)
                #expect(result.items.count == (page == 3 ? 1 : 2))
                seen += result.items.map(\.name)
            }
            #expect(seen == ["client 4", "client 3", "client 2", "client 1", "client 0"])
            let beyond = try await storage.clients(tenant: .default, nameContains: nil, status: nil, page: PageRequest(page: 4, pageSize: 2))
            #expect(beyond.items.isEmpty && beyond.total == 5)
        }
    }

    @Test("when a client is updated then get returns the new settings and an audit event is written", arguments: TestDatabase.all)
    func update(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            var (client, _) = try await F.insertClient(storage)
            client.name = "Renamed"
            client.status = .suspended
            client.scopes = ["openid"]
            client.redirectURIs = ["https://new.example.com/cb"]
            client.corsOrigins = ["https://new.example.com"]
            client.logoURL = nil
            client.updatedAt = F.at(60)
            try await storage.update(
                client,
                deactivateSecrets: false,
                audit: F.audit("client.update", target: client, fields: ["name", "status"], at: F.at(60))
            )
            let stored = try #require(try await storage.client(clientID: client.clientID, tenant: .default))
            #expect(stored == client)
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).map(\.status) == [.active])
            let events = try await storage.auditEvents(targetID: client.clientID, tenant: .default, page: PageRequest())
            #expect(events.items.first?.action == "client.update")
            #expect(events.items.first?.changedFields == ["name", "status"])
        }
    }

    @Test("when an update deactivates secrets then every secret of the client becomes inactive", arguments: TestDatabase.all)
    func updateDeactivatesSecrets(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            var (client, _) = try await F.insertClient(storage)
            client.authMethods = [.privateKeyJWT]
            client.secretLastFour = nil
            client.updatedAt = F.at(5)
            try await storage.update(client, deactivateSecrets: true, audit: F.audit("client.update", target: client, at: F.at(5)))
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).allSatisfy { $0.status == .inactive })
            #expect(try await storage.client(clientID: client.clientID, tenant: .default)?.secretLastFour == nil)
        }
    }

    @Test("when a client is soft-deleted then it is hidden, its tokens are revoked and its secrets switched off", arguments: TestDatabase.all)
    func softDelete(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let (survivor, _) = try await F.insertClient(storage, name: "Survivor", createdAt: F.at(1))
            let access = F.token(for: client, createdAt: F.at(10))
            let refresh = F.token(for: client, kind: .refreshToken, createdAt: F.at(10), lifetime: 86_400)
            let graced = F.token(for: client, createdAt: F.at(10), revokedAt: F.at(500))
            let other = F.token(for: survivor, createdAt: F.at(10))
            for token in [access, refresh, graced, other] { try await storage.record(token) }

            let deletedAt = F.at(100)
            try await storage.delete(client, at: deletedAt, audit: F.audit("client.delete", target: client, at: deletedAt))

            #expect(try await storage.client(clientID: client.clientID, tenant: .default) == nil)
            let listed = try await storage.clients(tenant: .default, nameContains: nil, status: nil, page: PageRequest())
            #expect(listed.items.map(\.clientID) == [survivor.clientID] && listed.total == 1)
            for token in [access, refresh, graced] {
                let stored = try #require(try await storage.token(id: token.id, tenant: .default))
                #expect(stored.revokedAt == deletedAt)
                #expect(!stored.isActive(at: deletedAt))
            }
            #expect(try await storage.activeTokens(clientRecordID: client.id, tenant: .default, at: deletedAt, page: PageRequest()).total == 0)
            #expect(try await storage.token(id: other.id, tenant: .default)?.revokedAt == nil)
            #expect(try await storage.secrets(clientRecordID: client.id, tenant: .default).allSatisfy { $0.status == .inactive })
            let events = try await storage.auditEvents(targetID: client.clientID, tenant: .default, page: PageRequest())
            #expect(events.items.first?.action == "client.delete")
        }
    }

    @Test("when a deleted client is updated then nothing changes", arguments: TestDatabase.all)
    func updateAfterDelete(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            var (client, _) = try await F.insertClient(storage)
            try await storage.delete(client, at: F.at(10), audit: F.audit("client.delete", target: client, at: F.at(10)))
            client.name = "Zombie"
            client.updatedAt = F.at(20)
            try? await storage.update(client, deactivateSecrets: false, audit: F.audit("client.update", target: client, at: F.at(20)))
            #expect(try await storage.client(clientID: client.clientID, tenant: .default) == nil)
            let all = try await storage.clients(tenant: .default, nameContains: "Zombie", status: nil, page: PageRequest())
            #expect(all.total == 0)
        }
    }

    @Test("when a client is created, updated and deleted then each change leaves one audit event, newest first", arguments: TestDatabase.all)
    func auditTrail(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            var (client, _) = try await F.insertClient(storage)
            client.name = "Second"
            client.updatedAt = F.at(30)
            let update = F.audit("client.update", target: client, fields: ["name"], at: F.at(30))
            try await storage.update(client, deactivateSecrets: false, audit: update)
            let delete = F.audit("client.delete", target: client, at: F.at(60))
            try await storage.delete(client, at: F.at(60), audit: delete)

            let events = try await storage.auditEvents(targetID: client.clientID, tenant: .default, page: PageRequest())
            #expect(events.total == 3)
            #expect(events.items.map(\.action) == ["client.delete", "client.update", "client.create"])
            #expect(events.items[1] == update)
            #expect(events.items[0] == delete)
            #expect(events.items.allSatisfy { $0.actor == F.actor && $0.targetID == client.clientID })

            let paged = try await storage.auditEvents(targetID: client.clientID, tenant: .default, page: PageRequest(page: 2, pageSize: 2))
            #expect(paged.items.map(\.action) == ["client.create"] && paged.total == 3)
            #expect(try await storage.auditEvents(targetID: client.clientID, tenant: TenantID(rawValue: "other"), page: PageRequest()).total == 0)
        }
    }
}
