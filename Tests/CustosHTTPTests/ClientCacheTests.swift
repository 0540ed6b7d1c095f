import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The short-lived client cache of the token endpoint (issue 7): repeated requests of one
/// client read no client or secret from the database, changes made through the admin API on
/// this node take effect at once, and changes made behind its back (another node, the CLI)
/// take effect when the entry expires.
@Suite("Client cache")
struct ClientCacheTests {
    static let secret = "custos_cs_client-cache-secret-0123456789abcdef"

    static func token(_ http: any TestClientProtocol, _ clientID: String) async throws -> HTTPResponse.Status {
        try await OAuthEndpointKit.post(
            http,
            [("grant_type", "client_credentials"), ("scope", "openid")],
            authorization: OAuthEndpointKit.basic(clientID, secret)
        ).status
    }

    /// Deletes the client in the database directly, as another node would.
    static func deleteBehindTheCache(_ server: TestServer, _ clientID: String) async throws {
        let client = try #require(try await server.server.storage.client(clientID: clientID, tenant: .default))
        try await server.server.storage.delete(
            client,
            at: server.clock.now,
            audit: AuditEvent(
                tenant: .default,
                action: "client.delete",
                targetID: clientID,
                actor: .system,
                message: "deleted elsewhere",
                createdAt: server.clock.now
            )
        )
    }

    @Test(
        "when a client is deleted on another node then this node accepts it until its cache entry expires, then refuses it",
        arguments: TestDatabase.all
    )
    func expiresAfterLifetime(database: TestDatabase) async throws {
        let server = try await TestServer.make(database) { $0.clientCacheLifetime = 1 }
        try await OAuthEndpointKit.insertClient(server, clientID: "cached-app", secret: Self.secret)
        try await server.run { http async throws in
            #expect(try await Self.token(http, "cached-app") == .ok)
            try await Self.deleteBehindTheCache(server, "cached-app")
            // Served from the cache: proves the request read neither client nor secret.
            #expect(try await Self.token(http, "cached-app") == .ok, "the cache did not serve the client")
            server.clock.advance(by: 1)
            #expect(try await Self.token(http, "cached-app") == .unauthorized, "the expired entry was still used")
        }
    }

    @Test("when the cache is off then a change behind its back takes effect on the next request", arguments: TestDatabase.all)
    func off(database: TestDatabase) async throws {
        let server = try await TestServer.make(database) { $0.clientCacheLifetime = 0 }
        try await OAuthEndpointKit.insertClient(server, clientID: "uncached-app", secret: Self.secret)
        try await server.run { http async throws in
            #expect(try await Self.token(http, "uncached-app") == .ok)
            try await Self.deleteBehindTheCache(server, "uncached-app")
            #expect(try await Self.token(http, "uncached-app") == .unauthorized)
        }
    }

    @Test(
        "when the admin API deletes a client or rotates its secret on this node then the cached entry is dropped at once",
        arguments: TestDatabase.all
    )
    func adminChangesInvalidate(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.clientCacheLifetime = 3_600 }) { admin in
            let rotated = try await admin.create(serviceClientBody(name: "Rotated"))
            let rotatedID = try #require(rotated["client_id"] as? String)
            let oldSecret = try #require(rotated["client_secret"] as? String)
            try await admin.expectTokenIssued(rotatedID, oldSecret, "before rotation (now cached)")
            let rotation = try await admin.call(.post, "/oauth/clients/\(rotatedID)/rotate-secret")
            let newSecret = try #require(try rotation.data()["new_secret"] as? String, "\(rotation.text)")
            try await admin.expectTokenIssued(rotatedID, newSecret, "the new secret, right after rotation")

            let deleted = try await admin.create(serviceClientBody(name: "Deleted"))
            let deletedID = try #require(deleted["client_id"] as? String)
            let secret = try #require(deleted["client_secret"] as? String)
            try await admin.expectTokenIssued(deletedID, secret, "before deletion (now cached)")
            #expect(try await admin.call(.delete, "/oauth/clients/\(deletedID)").status == .noContent)
            try await admin.expectInvalidClient(deletedID, secret, "right after deletion")
        }
    }

    @Test("when a secret is used many times a minute then its last use is written once a minute, however stale the cached record")
    func lastUseWrittenOncePerMinute() async throws {
        let server = try await TestServer.make(.sqlite)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let cache = ClientCache(clients: server.server.storage, secrets: server.server.storage, lifetime: 5, clock: clock)
        let stale = clock.now.addingTimeInterval(-3_600)
        #expect(cache.shouldRecordUse(ofSecret: "s1", lastRecorded: stale, at: clock.now))
        for _ in 0..<100 { #expect(!cache.shouldRecordUse(ofSecret: "s1", lastRecorded: stale, at: clock.now)) }
        #expect(cache.shouldRecordUse(ofSecret: "s2", lastRecorded: nil, at: clock.now), "another secret is its own")
        #expect(
            !cache.shouldRecordUse(ofSecret: "s3", lastRecorded: clock.now.addingTimeInterval(-30), at: clock.now),
            "the record shows a recent use"
        )
        clock.advance(by: 60)
        #expect(cache.shouldRecordUse(ofSecret: "s1", lastRecorded: stale, at: clock.now), "a minute later")
        try await server.server.storage.close()
    }
}
