import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

/// Revocation wins races ("Authorization boundaries", rule 9): the transaction that stores a
/// refresh's tokens re-reads the refresh token (and its user) under the locks every revocation
/// takes first, so no token stored by a refresh in flight outlives a revocation that answered.
@Suite("Refresh racing revocation")
struct RefreshRevocationRaceTests {
    typealias F = StorageFixtures
    static let refreshes = 40

    /// A grant of `client` with `count` refresh tokens (one per racing rotation), all for `userID`.
    static func grant(_ storage: SQLStorage, client: OAuthClient, userID: String?, count: Int) async throws -> (String, [IssuedToken]) {
        let grantID = ULID.make()
        var tokens: [IssuedToken] = []
        for _ in 0..<count {
            var token = F.token(for: client, kind: .refreshToken, userID: userID, createdAt: F.at(0), lifetime: 86_400)
            token.grantID = grantID
            tokens.append(token)
        }
        try await storage.record(tokens)
        return (grantID, tokens)
    }

    /// What one refresh stores: an access token (and, rotating, a refresh token) of the grant.
    static func replacements(_ client: OAuthClient, grantID: String, userID: String?, rotating: Bool) -> [IssuedToken] {
        var access = F.token(for: client, userID: userID, createdAt: F.at(10), lifetime: 900)
        access.grantID = grantID
        guard rotating else { return [access] }
        var refresh = F.token(for: client, kind: .refreshToken, userID: userID, createdAt: F.at(10), lifetime: 86_400)
        refresh.grantID = grantID
        return [access, refresh]
    }

    static func insertUser(_ storage: SQLStorage) async throws -> User {
        let user = User(
            id: ULID.make(at: F.at(0)),
            tenant: .default,
            username: "alice",
            email: "alice@example.com",
            createdAt: F.at(0),
            updatedAt: F.at(0)
        )
        try await storage.insert(
            user,
            audit: AuditEvent(
                tenant: .default,
                module: "user",
                action: "user.create",
                targetType: "user",
                targetID: user.id,
                actor: F.actor,
                message: "user create",
                createdAt: F.at(0)
            )
        )
        return user
    }

    /// Runs `count` refreshes of the grant at once, with `revoke` started among them; returns the
    /// tokens each successful refresh stored. Afterwards none of the grant's tokens may be active.
    static func race(
        _ storage: SQLStorage,
        sources: [IssuedToken],
        client: OAuthClient,
        grantID: String,
        userID: String?,
        rotating: Bool,
        revoke: @escaping @Sendable () async throws -> Void
    ) async throws -> [IssuedToken] {
        let now = F.at(20)
        return try await withThrowingTaskGroup(of: [IssuedToken].self) { group in
            for (index, source) in sources.enumerated() {
                let tokens = replacements(client, grantID: grantID, userID: userID, rotating: rotating)
                group.addTask {
                    let stored =
                        rotating
                        ? try await storage.rotateRefreshToken(id: source.id, tenant: .default, at: now, replacements: tokens)
                        : try await storage.recordRefresh(of: source.id, tenant: .default, at: now, tokens: tokens)
                    return stored ? tokens : []
                }
                if index == sources.count / 3 {
                    group.addTask {
                        try await revoke()
                        return []
                    }
                }
            }
            var stored: [IssuedToken] = []
            for try await tokens in group { stored += tokens }
            return stored
        }
    }

    static func expectNothingActive(
        _ storage: SQLStorage,
        _ tokens: [IssuedToken],
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws
    {
        var active = 0
        for token in tokens {
            let stored = try #require(try await storage.token(id: token.id, tenant: .default), sourceLocation: sourceLocation)
            if stored.isActive(at: F.at(30)) { active += 1 }
        }
        #expect(active == 0, "\(active) of \(tokens.count) tokens survived the revocation", sourceLocation: sourceLocation)
    }

    @Test("when rotations of a grant race its revocation then no token of the grant is active afterwards", arguments: TestDatabase.all)
    func rotationsRaceGrantRevocation(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let (grantID, sources) = try await Self.grant(storage, client: client, userID: nil, count: Self.refreshes)
            let stored = try await Self.race(storage, sources: sources, client: client, grantID: grantID, userID: nil, rotating: true) {
                try await storage.revokeGrant(grantID, tenant: .default, at: F.at(20))
            }
            try await Self.expectNothingActive(storage, sources + stored)
            // A refresh after the revocation stores nothing.
            let late = Self.replacements(client, grantID: grantID, userID: nil, rotating: false)
            #expect(try await !storage.recordRefresh(of: sources[0].id, tenant: .default, at: F.at(21), tokens: late))
            #expect(try await storage.token(id: late[0].id, tenant: .default) == nil)
        }
    }

    @Test("when stable-token refreshes of a grant race its revocation then no token of the grant is active afterwards", arguments: TestDatabase.all)
    func stableRefreshesRaceGrantRevocation(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let (grantID, sources) = try await Self.grant(storage, client: client, userID: nil, count: 1)
            let many = Array(repeating: sources[0], count: Self.refreshes)
            let stored = try await Self.race(storage, sources: many, client: client, grantID: grantID, userID: nil, rotating: false) {
                try await storage.revokeGrant(grantID, tenant: .default, at: F.at(20))
            }
            try await Self.expectNothingActive(storage, sources + stored)
        }
    }

    @Test(
        "when a refresh that started before a revocation stores its tokens after it then they end when the revocation took effect",
        arguments: TestDatabase.all
    )
    func refreshStartedBeforeRevocation(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            for rotating in [false, true] {
                let (grantID, sources) = try await Self.grant(storage, client: client, userID: nil, count: 1)
                // The request read its clock at 20 s; /oauth/revoke answered at 21 s, before the
                // request's transaction ran. Comparing the revocation with the request's start
                // alone would call the refresh token still active.
                try await storage.revokeGrant(grantID, tenant: .default, at: F.at(21))
                let tokens = Self.replacements(client, grantID: grantID, userID: nil, rotating: rotating)
                _ =
                    rotating
                    ? try await storage.rotateRefreshToken(id: sources[0].id, tenant: .default, at: F.at(20), replacements: tokens)
                    : try await storage.recordRefresh(of: sources[0].id, tenant: .default, at: F.at(20), tokens: tokens)
                for token in tokens {
                    if let stored = try await storage.token(id: token.id, tenant: .default) {
                        #expect(!stored.isActive(at: F.at(21)), "rotating \(rotating): a \(stored.kind) outlived the revocation")
                    }
                }
            }
        }
    }

    @Test(
        "when a refresh token has a scheduled revocation (a grace period) then the tokens of its refresh end at the same time",
        arguments: TestDatabase.all
    )
    func refreshInheritsScheduledRevocation(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let (grantID, sources) = try await Self.grant(storage, client: client, userID: nil, count: 1)
            try await storage.revokeGrant(grantID, tenant: .default, at: F.at(60))
            let tokens = Self.replacements(client, grantID: grantID, userID: nil, rotating: true)
            #expect(try await storage.rotateRefreshToken(id: sources[0].id, tenant: .default, at: F.at(20), replacements: tokens))
            for token in tokens {
                let stored = try #require(try await storage.token(id: token.id, tenant: .default))
                #expect(stored.isActive(at: F.at(30)), "\(stored.kind): active during the grace period")
                #expect(!stored.isActive(at: F.at(60)), "\(stored.kind): escaped the scheduled revocation")
            }
        }
    }

    @Test("when refreshes race disabling their user then none of the user's tokens is active afterwards", arguments: TestDatabase.all)
    func refreshesRaceUserDisabling(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            var user = try await Self.insertUser(storage)
            let (grantID, sources) = try await Self.grant(storage, client: client, userID: user.id, count: Self.refreshes)
            user.status = .disabled
            let disabled = user
            let stored = try await Self.race(storage, sources: sources, client: client, grantID: grantID, userID: user.id, rotating: true) {
                try await storage.update(
                    disabled,
                    endingAccessAt: F.at(20),
                    audit: AuditEvent(
                        tenant: .default,
                        module: "user",
                        action: "user.status.disabled",
                        targetType: "user",
                        targetID: disabled.id,
                        actor: F.actor,
                        message: "user disabled",
                        createdAt: F.at(20)
                    )
                )
            }
            try await Self.expectNothingActive(storage, sources + stored)
        }
    }

    @Test("when the refresh token's user is disabled, locked or deleted then recordRefresh stores nothing", arguments: TestDatabase.all)
    func inactiveUserStoresNothing(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            var user = try await Self.insertUser(storage)
            let (grantID, sources) = try await Self.grant(storage, client: client, userID: user.id, count: 1)
            let fresh = Self.replacements(client, grantID: grantID, userID: user.id, rotating: false)
            #expect(try await storage.recordRefresh(of: sources[0].id, tenant: .default, at: F.at(20), tokens: fresh), "an active user refreshes")
            // A status change without ending access (as a bare record update would) still stops the refresh.
            user.status = .locked
            try await storage.update(user, audit: nil)
            let refused = Self.replacements(client, grantID: grantID, userID: user.id, rotating: true)
            #expect(try await !storage.rotateRefreshToken(id: sources[0].id, tenant: .default, at: F.at(21), replacements: refused))
            for token in refused { #expect(try await storage.token(id: token.id, tenant: .default) == nil) }
            #expect(try await storage.token(id: sources[0].id, tenant: .default)?.consumedAt == nil, "nothing consumed")
        }
    }
}
