import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

@Suite("TokenStore contract")
struct TokenStoreContractTests {
    typealias F = StorageFixtures

    @Test("when a token is recorded then get returns it field for field", arguments: TestDatabase.all)
    func recordAndGet(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            var token = F.token(for: client, kind: .refreshToken, userID: "user-1", createdAt: F.at(5), lifetime: 86_400)
            token.grantID = "grant-1"
            try await storage.record(token)
            let access = F.token(for: client, createdAt: F.at(6), revokedAt: F.at(300))
            try await storage.record(access)
            #expect(try await storage.token(id: token.id, tenant: .default) == token)
            #expect(try await storage.token(id: access.id, tenant: .default) == access)
            #expect(try await storage.token(id: ULID.make(), tenant: .default) == nil)
            #expect(try await storage.token(id: token.id, tenant: TenantID(rawValue: "other")) == nil)
        }
    }

    @Test("when tokens are listed as active then expired and revoked ones are left out, newest first", arguments: TestDatabase.all)
    func activeTokens(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let (other, _) = try await F.insertClient(storage, name: "Other", createdAt: F.at(1))
            let older = F.token(for: client, createdAt: F.at(100))
            let newer = F.token(for: client, kind: .refreshToken, createdAt: F.at(200), lifetime: 86_400)
            let graced = F.token(for: client, createdAt: F.at(150), revokedAt: F.at(600))
            let expired = F.token(for: client, createdAt: F.at(0), lifetime: 60)
            let revoked = F.token(for: client, createdAt: F.at(120), revokedAt: F.at(130))
            let foreign = F.token(for: other, createdAt: F.at(210))
            for token in [older, newer, graced, expired, revoked, foreign] { try await storage.record(token) }

            let now = F.at(300)
            let page = try await storage.activeTokens(clientRecordID: client.id, tenant: .default, at: now, page: PageRequest())
            #expect(page.items.map(\.id) == [newer.id, graced.id, older.id])
            #expect(page.total == 3)
            let later = try await storage.activeTokens(clientRecordID: client.id, tenant: .default, at: F.at(700), page: PageRequest())
            #expect(later.items.map(\.id) == [newer.id, older.id])
            let paged = try await storage.activeTokens(
                clientRecordID: client.id,
                tenant: .default,
                at: now,
                page: PageRequest(page: 2, pageSize: 2)
            )
            #expect(paged.items.map(\.id) == [older.id] && paged.total == 3)
            // Exactly at expiry a token is no longer active.
            let atExpiry = try await storage.activeTokens(clientRecordID: client.id, tenant: .default, at: F.at(1_000), page: PageRequest())
            #expect(atExpiry.items.map(\.id) == [newer.id])
        }
    }

    @Test(
        "when a client's tokens are revoked with a grace period then they stay active until it ends and the counts are per kind",
        arguments: TestDatabase.all
    )
    func revokeByClientWithGrace(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let (other, _) = try await F.insertClient(storage, name: "Other", createdAt: F.at(1))
            let access1 = F.token(for: client, createdAt: F.at(10))
            let access2 = F.token(for: client, createdAt: F.at(20))
            let refresh = F.token(for: client, kind: .refreshToken, createdAt: F.at(30), lifetime: 86_400)
            let expired = F.token(for: client, createdAt: F.at(0), lifetime: 50)
            let alreadyRevoked = F.token(for: client, createdAt: F.at(40), revokedAt: F.at(45))
            let foreign = F.token(for: other, createdAt: F.at(10))
            for token in [access1, access2, refresh, expired, alreadyRevoked, foreign] { try await storage.record(token) }

            let now = F.at(100)
            let effectiveAt = F.at(400)
            let counts = try await storage.revokeAll(
                clientRecordID: client.id,
                tenant: .default,
                effectiveAt: effectiveAt,
                now: now,
                audit: F.audit("client.tokens.revoke", target: client, at: now)
            )
            #expect(counts == RevocationCounts(accessTokens: 2, refreshTokens: 1))

            for token in [access1, access2, refresh] {
                let stored = try #require(try await storage.token(id: token.id, tenant: .default))
                #expect(stored.revokedAt == effectiveAt)
                #expect(stored.isActive(at: F.at(399)))
                #expect(!stored.isActive(at: effectiveAt))
            }
            #expect(try await storage.token(id: alreadyRevoked.id, tenant: .default)?.revokedAt == F.at(45))
            #expect(try await storage.token(id: expired.id, tenant: .default)?.revokedAt == nil)
            #expect(try await storage.token(id: foreign.id, tenant: .default)?.revokedAt == nil)
            #expect(try await storage.activeTokens(clientRecordID: client.id, tenant: .default, at: F.at(399), page: PageRequest()).total == 3)
            #expect(try await storage.activeTokens(clientRecordID: client.id, tenant: .default, at: F.at(401), page: PageRequest()).total == 0)
            let events = try await storage.auditEvents(targetID: client.clientID, tenant: .default, page: PageRequest())
            #expect(events.items.first?.action == "client.tokens.revoke")
        }
    }

    @Test("when a shorter grace follows a longer one then the earlier revocation wins; a longer one never extends", arguments: TestDatabase.all)
    func revokeTwice(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let token = F.token(for: client, createdAt: F.at(10), lifetime: 3_600)
            try await storage.record(token)
            _ = try await storage.revokeAll(
                clientRecordID: client.id,
                tenant: .default,
                effectiveAt: F.at(1_000),
                now: F.at(100),
                audit: F.audit("r", target: client)
            )
            let shorter = try await storage.revokeAll(
                clientRecordID: client.id,
                tenant: .default,
                effectiveAt: F.at(200),
                now: F.at(100),
                audit: F.audit("r", target: client)
            )
            #expect(shorter.accessTokens == 1)
            #expect(try await storage.token(id: token.id, tenant: .default)?.revokedAt == F.at(200))
            let longer = try await storage.revokeAll(
                clientRecordID: client.id,
                tenant: .default,
                effectiveAt: F.at(2_000),
                now: F.at(150),
                audit: F.audit("r", target: client)
            )
            #expect(longer == RevocationCounts())
            #expect(try await storage.token(id: token.id, tenant: .default)?.revokedAt == F.at(200))
        }
    }

    @Test("when a client's tokens are revoked now then none is active and a repeat revokes nothing", arguments: TestDatabase.all)
    func revokeNow(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            for index in 0..<3 { try await storage.record(F.token(for: client, createdAt: F.at(Double(index)))) }
            let now = F.at(60)
            let counts = try await storage.revokeAll(
                clientRecordID: client.id,
                tenant: .default,
                effectiveAt: now,
                now: now,
                audit: F.audit("r", target: client, at: now)
            )
            #expect(counts == RevocationCounts(accessTokens: 3, refreshTokens: 0))
            #expect(try await storage.activeTokens(clientRecordID: client.id, tenant: .default, at: now, page: PageRequest()).total == 0)
            let again = try await storage.revokeAll(
                clientRecordID: client.id,
                tenant: .default,
                effectiveAt: now,
                now: now,
                audit: F.audit("r", target: client, at: now)
            )
            #expect(again == RevocationCounts())
        }
    }

    @Test("when a user's tokens are revoked then only that user's active tokens are, across clients", arguments: TestDatabase.all)
    func revokeByUser(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (first, _) = try await F.insertClient(storage)
            let (second, _) = try await F.insertClient(storage, name: "Second", createdAt: F.at(1))
            let a = F.token(for: first, userID: "alice", createdAt: F.at(10))
            let b = F.token(for: second, kind: .refreshToken, userID: "alice", createdAt: F.at(10), lifetime: 86_400)
            let c = F.token(for: second, userID: "alice", createdAt: F.at(10))
            let expired = F.token(for: first, userID: "alice", createdAt: F.at(0), lifetime: 5)
            let bob = F.token(for: first, userID: "bob", createdAt: F.at(10))
            let machine = F.token(for: first, createdAt: F.at(10))
            for token in [a, b, c, expired, bob, machine] { try await storage.record(token) }

            let now = F.at(100)
            let audit = AuditEvent(
                tenant: .default,
                module: "oauth_token",
                action: "user.tokens.revoke",
                targetType: "user",
                targetID: "alice",
                actor: F.actor,
                message: "revoked",
                createdAt: now
            )
            let counts = try await storage.revokeAll(userID: "alice", tenant: .default, at: now, audit: audit)
            #expect(counts == RevocationCounts(accessTokens: 2, refreshTokens: 1))
            for token in [a, b, c] {
                #expect(try await storage.token(id: token.id, tenant: .default)?.revokedAt == now)
            }
            for token in [expired, bob, machine] {
                #expect(try await storage.token(id: token.id, tenant: .default)?.revokedAt == nil)
            }
            #expect(try await storage.auditEvents(targetID: "alice", tenant: .default, page: PageRequest()).items == [audit])
            var nobody = audit
            nobody.id = ULID.make()
            nobody.targetID = "nobody"
            #expect(try await storage.revokeAll(userID: "nobody", tenant: .default, at: now, audit: nobody) == RevocationCounts())
        }
    }

    @Test("when statistics are read then active tokens are counted per kind with the last issue time", arguments: TestDatabase.all)
    func statistics(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let (other, _) = try await F.insertClient(storage, name: "Other", createdAt: F.at(1))
            let empty = try await storage.statistics(clientRecordID: client.id, tenant: .default, at: F.at(0))
            #expect(empty == ClientTokenStatistics(activeAccessTokens: 0, activeRefreshTokens: 0, lastIssuedAt: nil))

            for token in [
                F.token(for: client, createdAt: F.at(10)), F.token(for: client, createdAt: F.at(20)),
                F.token(for: client, kind: .refreshToken, createdAt: F.at(30), lifetime: 86_400),
                F.token(for: client, createdAt: F.at(40), revokedAt: F.at(41)),
                F.token(for: client, kind: .refreshToken, createdAt: F.at(0), lifetime: 1),
                F.token(for: other, createdAt: F.at(500)),
            ] { try await storage.record(token) }
            let stats = try await storage.statistics(clientRecordID: client.id, tenant: .default, at: F.at(100))
            #expect(stats == ClientTokenStatistics(activeAccessTokens: 2, activeRefreshTokens: 1, lastIssuedAt: F.at(40)))
            let later = try await storage.statistics(clientRecordID: client.id, tenant: .default, at: F.at(2_000))
            #expect(later == ClientTokenStatistics(activeAccessTokens: 0, activeRefreshTokens: 1, lastIssuedAt: F.at(40)))
        }
    }
    @Test(
        "when tokens with attributes are recorded, batched or in a refresh, then audience, binding and actor read back",
        arguments: TestDatabase.all
    )
    func attributesRoundTrip(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            var dpop = F.token(for: client, kind: .refreshToken, createdAt: F.at(5), lifetime: 86_400)
            dpop.grantID = "grant-1"
            dpop.attributes = TokenAttributes(audience: ["https://issuer.example", "https://api.example"], confirmation: .jkt("thumb-1"))
            var mtls = F.token(for: client, createdAt: F.at(6))
            mtls.attributes = TokenAttributes(
                audience: ["https://api.example"],
                confirmation: .x5tS256("cert-1"),
                actor: TokenAttributes.Actor(subject: "svc", clientID: "cl_actor")
            )
            // One call, two rows: the group-commit insert path.
            try await storage.record([dpop, mtls])
            #expect(try await storage.token(id: dpop.id, tenant: .default) == dpop)
            #expect(try await storage.token(id: mtls.id, tenant: .default) == mtls)

            // The refresh transaction's own insert path.
            var successor = F.token(for: client, createdAt: F.at(7))
            successor.grantID = "grant-1"
            successor.attributes = TokenAttributes(audience: ["https://issuer.example"], confirmation: .jkt("thumb-1"))
            #expect(try await storage.recordRefresh(of: dpop.id, tenant: .default, at: F.at(7), tokens: [successor]))
            #expect(try await storage.token(id: successor.id, tenant: .default)?.attributes == successor.attributes)
        }
    }

    @Test("when a token row predates attributes (the column default) then it reads as empty attributes", arguments: TestDatabase.all)
    func rowWithoutAttributes(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let id = ULID.make(at: F.at(5))
            let created = F.at(5).millisecondsSinceEpochForTests
            try await storage.execute(
                """
                INSERT INTO oauth_tokens (id, tenant_id, client_pk, client_id, token_type, scope, created_at, expires_at)
                VALUES ('\(id)', 'default', '\(client.id)', '\(client.clientID)', 'access_token', 'openid', \(created), \(created + 900_000))
                """
            )
            let stored = try #require(try await storage.token(id: id, tenant: .default))
            #expect(stored.attributes == TokenAttributes())
            #expect(stored.attributes.confirmation == nil && stored.attributes.audience.isEmpty && stored.attributes.actor == nil)
            #expect(stored.attributes.tokenType == "Bearer")
        }
    }
}

extension Date {
    /// Unix milliseconds, as the storage writes times (whole seconds in the fixtures, so exact).
    fileprivate var millisecondsSinceEpochForTests: Int64 { Int64(timeIntervalSince1970 * 1000) }
}
