import CustosCore
import CustosTestSupport
import Foundation
import Testing

@testable import CustosStorage

@Suite("Migrations: client metadata (0009)")
struct ClientMetadataMigrationTests {
    typealias F = StorageFixtures

    /// A storage of `database` migrated only through `lastID`, as an older version left it.
    static func storage(_ database: TestDatabase, migratedThrough lastID: Int) async throws -> SQLStorage {
        let logger = LogCapture().logger()
        let storage: SQLStorage
        switch database {
        case .sqlite:
            storage = try await StorageLocation.sqliteMemory.open(logger: logger)
        case .postgres:
            let url = try #require(TestDatabase.postgresURL)
            let separator = url.contains("?") ? "&" : "?"
            let schema = "m_" + ULID.make().lowercased()
            let admin = try await StorageLocation.postgres(url + separator + "pool_size=1&request_timeout=120").open(logger: logger)
            try await admin.execute("CREATE SCHEMA \(schema)")
            try await admin.close()
            storage = try await StorageLocation.postgres(url + separator + "search_path=\(schema)&pool_size=2&request_timeout=120").open(
                logger: logger
            )
        }
        try await Migrator(database: storage.database).migrate(through: lastID)
        return storage
    }

    /// Writes `client` with the statement Custos used before migration 0009: each field in
    /// its column, the OpenID members in `metadata`.
    static func insertTheOldWay(_ client: OAuthClient, openID: [String: Any], into storage: SQLStorage) async throws {
        func json(_ value: Any) throws -> SQLValue {
            .text(String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self))
        }
        let m = client.metadata
        try await storage.database.query(
            """
            INSERT INTO oauth_clients (id, tenant_id, client_id, name, is_confidential, redirect_uris, grant_types,
                client_auth_methods, scopes, cors_origins, jwks, jwks_uri, logo_url, privacy_policy, terms_url, website,
                fapi_profile, status, created_at, updated_at, deleted_at, access_token_format, metadata,
                first_party, require_pkce)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(client.id), .text(client.tenant.rawValue), .text(client.clientID), .text(m.name), SQLValue(m.isConfidential),
                try json(m.redirectURIs), try json(m.grantTypes.map(\.rawValue)), try json(m.authMethods.map(\.rawValue)),
                try json(m.scopes), try json(m.corsOrigins), SQLValue(m.jwks), SQLValue(m.jwksURI), SQLValue(m.logoURL),
                SQLValue(m.privacyPolicy), SQLValue(m.termsURL), SQLValue(m.website), .text(m.fapiProfile.rawValue),
                .text(client.status.rawValue), SQLValue(client.createdAt), SQLValue(client.updatedAt), SQLValue(client.deletedAt),
                .text(m.accessTokenFormat.rawValue), try json(openID), SQLValue(client.isFirstParty), SQLValue(client.pkceRequired),
            ]
        )
    }

    /// The OpenID members of `metadata` as the old `OpenIDClientMetadata` bag stored them.
    static func openIDBag(_ metadata: ClientMetadata) throws -> [String: Any] {
        var bag = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(metadata)) as? [String: Any] ?? [:]
        for key: ClientMetadata.CodingKeys in [
            .name, .isConfidential, .redirectURIs, .grantTypes, .authMethods, .scopes, .corsOrigins, .jwks, .jwksURI, .logoURL,
            .privacyPolicy, .termsURL, .website, .fapiProfile, .accessTokenFormat,
        ] {
            bag[key.rawValue] = nil
        }
        return bag
    }

    @Test("when a client written before 0009 is migrated then it reads back field for field", arguments: TestDatabase.all)
    func movesColumnsIntoMetadata(database: TestDatabase) async throws {
        let storage = try await Self.storage(database, migratedThrough: 7)
        var full = F.client(clientID: "cl_full")
        full.metadata = ClientMetadataFixtures.everyFieldSet
        full.isFirstParty = true
        full.pkceRequired = false
        full.status = .suspended
        var sparse = F.client(clientID: "cl_sparse", name: "Sparse")
        sparse.metadata = ClientMetadata(name: "Sparse", isConfidential: false, redirectURIs: ["https://s.example.com/cb"])
        for client in [full, sparse] {
            try await Self.insertTheOldWay(client, openID: try Self.openIDBag(client.metadata), into: storage)
        }

        try await storage.migrate()

        #expect(try await storage.client(clientID: "cl_full", tenant: .default) == full)
        #expect(try await storage.client(clientID: "cl_sparse", tenant: .default) == sparse)
        let listed = try await storage.clients(tenant: .default, nameContains: "spar", status: nil, page: PageRequest(page: 1, pageSize: 10))
        #expect(listed.items.map(\.clientID) == ["cl_sparse"], "the name column still serves the listing's search")
        let columns = try await storage.database.query("SELECT * FROM oauth_clients WHERE client_id = ?", .text("cl_full"))
        #expect(columns.first?.optionalString("website") == nil, "the moved columns are gone")
        try await storage.close()
    }

    @Test("when a client with every metadata field set is stored then it reads back unchanged", arguments: TestDatabase.all)
    func roundTrip(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            var client = F.client()
            client.metadata = ClientMetadataFixtures.everyFieldSet
            try await storage.insert(client, secrets: [], audit: F.audit("client.create", target: client))
            #expect(try await storage.client(clientID: client.clientID, tenant: .default) == client)
            client.metadata.name = "Renamed"
            client.metadata.contacts = nil
            client.metadata.scopes = []
            try await storage.update(client, deactivateSecrets: false, audit: F.audit("client.update", target: client))
            #expect(try await storage.client(clientID: client.clientID, tenant: .default) == client)
        }
    }
}
