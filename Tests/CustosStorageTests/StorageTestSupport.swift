import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation

/// Record builders and a storage scope shared by the storage contract suites. Every time is a
/// whole second after `epoch`, so it survives the millisecond columns of both backends exactly.
enum StorageFixtures {
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)
    static let actor = AuditActor(type: "admin_client", id: "test-admin", ip: "127.0.0.1")

    static func at(_ seconds: TimeInterval) -> Date { epoch.addingTimeInterval(seconds) }

    /// Runs `body` with a fresh migrated storage of `database` and closes it afterwards.
    static func withStorage<T: Sendable>(_ database: TestDatabase, _ body: (SQLStorage) async throws -> T) async throws -> T {
        let storage = try await database.makeStorage()
        do {
            let result = try await body(storage)
            try await storage.close()
            return result
        } catch {
            try? await storage.close()
            throw error
        }
    }

    static func client(
        clientID: String = "cl_" + ULID.make().lowercased(),
        name: String = "Example App",
        status: ClientStatus = .active,
        createdAt: Date = epoch,
        tenant: TenantID = .default
    ) -> OAuthClient {
        OAuthClient(
            id: ULID.make(at: createdAt),
            tenant: tenant,
            clientID: clientID,
            name: name,
            isConfidential: true,
            redirectURIs: ["https://app.example.com/cb", "http://127.0.0.1:8080/cb"],
            grantTypes: [.authorizationCode, .clientCredentials],
            authMethods: [.clientSecretBasic, .clientSecretPost],
            scopes: ["openid", "profile"],
            corsOrigins: ["https://app.example.com", "http://127.0.0.1:8080"],
            jwksURI: "https://app.example.com/jwks.json",
            logoURL: "https://app.example.com/logo.png",
            privacyPolicy: "https://app.example.com/privacy",
            termsURL: "https://app.example.com/terms",
            website: "https://app.example.com",
            fapiProfile: .none,
            status: status,
            createdAt: createdAt,
            updatedAt: createdAt
        )
    }

    static func secret(
        for client: OAuthClient,
        lastFour: String = "ab12",
        status: ClientSecretRecord.Status = .active,
        createdAt: Date = epoch
    ) -> ClientSecretRecord {
        ClientSecretRecord(
            id: ULID.make(at: createdAt),
            tenant: client.tenant,
            clientRecordID: client.id,
            digest: "digest-" + ULID.make(),
            lastFour: lastFour,
            status: status,
            description: "fixture",
            createdAt: createdAt,
            updatedAt: createdAt
        )
    }

    static func audit(
        _ action: String,
        target client: OAuthClient,
        fields: [String] = [],
        at date: Date = epoch
    ) -> AuditEvent {
        AuditEvent(
            tenant: client.tenant,
            action: action,
            targetID: client.clientID,
            actor: actor,
            status: 200,
            message: action,
            changedFields: fields,
            createdAt: date
        )
    }

    static func token(
        for client: OAuthClient,
        kind: IssuedToken.Kind = .accessToken,
        userID: String? = nil,
        createdAt: Date = epoch,
        lifetime: TimeInterval = 900,
        revokedAt: Date? = nil
    ) -> IssuedToken {
        IssuedToken(
            id: ULID.make(at: createdAt),
            tenant: client.tenant,
            clientRecordID: client.id,
            clientID: client.clientID,
            userID: userID,
            kind: kind,
            digest: kind == .refreshToken ? "rt-" + ULID.make() : nil,
            scope: "openid profile",
            createdAt: createdAt,
            expiresAt: createdAt.addingTimeInterval(lifetime),
            revokedAt: revokedAt
        )
    }

    /// Inserts a client with one active secret and returns both.
    @discardableResult
    static func insertClient(
        _ storage: SQLStorage,
        name: String = "Example App",
        status: ClientStatus = .active,
        createdAt: Date = epoch
    ) async throws -> (client: OAuthClient, secret: ClientSecretRecord) {
        var client = client(name: name, status: status, createdAt: createdAt)
        let secret = secret(for: client, createdAt: createdAt)
        try await storage.insert(client, secrets: [secret], audit: audit("client.create", target: client, at: createdAt))
        client.secretLastFour = secret.lastFour
        return (client, secret)
    }
}
