import CustosCore
import Foundation

extension SQLStorage {
    static let clientColumns = """
        c.id, c.tenant_id, c.client_id, c.name, c.is_confidential, c.redirect_uris, c.grant_types, c.client_auth_methods,
        c.scopes, c.cors_origins, c.jwks, c.jwks_uri, c.logo_url, c.privacy_policy, c.terms_url, c.website, c.fapi_profile,
        c.status, c.access_token_format, c.metadata, c.created_at, c.updated_at, c.deleted_at, c.first_party, c.require_pkce,
        (SELECT s.last_four FROM oauth_client_secrets s WHERE s.client_pk = c.id AND s.status = 'active'
            ORDER BY s.created_at DESC, s.id DESC LIMIT 1) AS secret_last_four
        """

    public func insert(_ client: OAuthClient, secrets: [ClientSecretRecord], audit: AuditEvent) async throws {
        try await database.transaction { executor in
            try await executor.query(
                """
                INSERT INTO oauth_clients (id, tenant_id, client_id, name, is_confidential, redirect_uris, grant_types,
                    client_auth_methods, scopes, cors_origins, jwks, jwks_uri, logo_url, privacy_policy, terms_url, website,
                    fapi_profile, status, created_at, updated_at, deleted_at, access_token_format, metadata,
                    first_party, require_pkce)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                try Self.clientValues(client) + [
                    .text(client.accessTokenFormat.rawValue), try .json(client.openID), SQLValue(client.isFirstParty),
                    SQLValue(client.pkceRequired),
                ]
            )
            for secret in secrets { try await Self.insertSecret(secret, into: executor) }
            try await Self.insertAudit(audit, into: executor)
        }
    }

    public func client(clientID: String, tenant: TenantID) async throws -> OAuthClient? {
        try await database.query(
            "SELECT \(Self.clientColumns) FROM oauth_clients c WHERE c.tenant_id = ? AND c.client_id = ? AND c.deleted_at IS NULL",
            .text(tenant.rawValue),
            .text(clientID)
        ).first.map(Self.decodeClient)
    }

    public func clients(
        tenant: TenantID,
        nameContains: String?,
        status: ClientStatus?,
        page: PageRequest
    ) async throws
        -> Page<OAuthClient>
    {
        var conditions = "c.tenant_id = ? AND c.deleted_at IS NULL"
        var binds: [SQLValue] = [.text(tenant.rawValue)]
        if let nameContains {
            // The pattern is escaped so that % and _ in a search are taken literally.
            conditions += " AND lower(c.name) LIKE ? ESCAPE '\\'"
            let escaped = nameContains.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            binds.append(.text("%\(escaped)%"))
        }
        if let status {
            conditions += " AND c.status = ?"
            binds.append(.text(status.rawValue))
        }
        let total = try Self.count(try await database.query("SELECT COUNT(*) AS n FROM oauth_clients c WHERE \(conditions)", binds))
        let rows = try await database.query(
            "SELECT \(Self.clientColumns) FROM oauth_clients c WHERE \(conditions) ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?",
            binds + [SQLValue(page.pageSize), SQLValue(page.offset)]
        )
        return Page(items: try rows.map(Self.decodeClient), total: total, request: page)
    }

    public func update(_ client: OAuthClient, deactivateSecrets: Bool, audit: AuditEvent) async throws {
        try await database.transaction { executor in
            var values = try Self.clientValues(client)
            // Drop id, tenant and client_id from the front and created_at/deleted_at from the end.
            values =
                Array(values[3..<18]) + [
                    SQLValue(client.updatedAt), .text(client.accessTokenFormat.rawValue), try .json(client.openID),
                    SQLValue(client.isFirstParty), SQLValue(client.pkceRequired), .text(client.id),
                ]
            try await executor.query(
                """
                UPDATE oauth_clients SET name = ?, is_confidential = ?, redirect_uris = ?, grant_types = ?,
                    client_auth_methods = ?, scopes = ?, cors_origins = ?, jwks = ?, jwks_uri = ?, logo_url = ?,
                    privacy_policy = ?, terms_url = ?, website = ?, fapi_profile = ?, status = ?, updated_at = ?,
                    access_token_format = ?, metadata = ?, first_party = ?, require_pkce = ?
                WHERE id = ? AND deleted_at IS NULL
                """,
                values
            )
            if deactivateSecrets {
                try await executor.query(
                    "UPDATE oauth_client_secrets SET status = 'inactive', updated_at = ? WHERE client_pk = ? AND status <> 'inactive'",
                    SQLValue(client.updatedAt),
                    .text(client.id)
                )
            }
            try await Self.insertAudit(audit, into: executor)
        }
    }

    public func delete(_ client: OAuthClient, at date: Date, audit: AuditEvent) async throws {
        try await database.transaction { executor in
            try await executor.query(
                "UPDATE oauth_clients SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                SQLValue(date),
                SQLValue(date),
                .text(client.id)
            )
            try await executor.query(
                "UPDATE oauth_tokens SET revoked_at = ? WHERE client_pk = ? AND (revoked_at IS NULL OR revoked_at > ?)",
                SQLValue(date),
                .text(client.id),
                SQLValue(date)
            )
            try await executor.query(
                "UPDATE oauth_client_secrets SET status = 'inactive', updated_at = ? WHERE client_pk = ?",
                SQLValue(date),
                .text(client.id)
            )
            try await Self.insertAudit(audit, into: executor)
        }
    }

    public func auditEvents(targetID: String, tenant: TenantID, page: PageRequest) async throws -> Page<AuditEvent> {
        let binds: [SQLValue] = [.text(tenant.rawValue), .text(targetID)]
        let total = try Self.count(
            try await database.query("SELECT COUNT(*) AS n FROM audit_logs WHERE tenant_id = ? AND target_id = ?", binds)
        )
        let rows = try await database.query(
            "SELECT * FROM audit_logs WHERE tenant_id = ? AND target_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            binds + [SQLValue(page.pageSize), SQLValue(page.offset)]
        )
        let events = try rows.map { row in
            AuditEvent(
                id: try row.string("id"),
                tenant: TenantID(rawValue: try row.string("tenant_id")),
                module: try row.string("module"),
                action: try row.string("action"),
                targetType: try row.string("target_type"),
                targetID: try row.string("target_id"),
                actor: AuditActor(type: try row.string("operator_type"), id: try row.string("operator_id"), ip: try row.string("ip")),
                level: try row.string("level"),
                status: Int(try row.int("status")),
                message: try row.string("message"),
                changedFields: try row.json("changed_fields", as: [String].self),
                createdAt: try row.date("created_at")
            )
        }
        return Page(items: events, total: total, request: page)
    }

    static func clientValues(_ client: OAuthClient) throws -> [SQLValue] {
        [
            .text(client.id), .text(client.tenant.rawValue), .text(client.clientID), .text(client.name),
            SQLValue(client.isConfidential), try .json(client.redirectURIs), try .json(client.grantTypes.map(\.rawValue)),
            try .json(client.authMethods.map(\.rawValue)), try .json(client.scopes), try .json(client.corsOrigins),
            SQLValue(client.jwks), SQLValue(client.jwksURI), SQLValue(client.logoURL), SQLValue(client.privacyPolicy),
            SQLValue(client.termsURL), SQLValue(client.website), .text(client.fapiProfile.rawValue), .text(client.status.rawValue),
            SQLValue(client.createdAt), SQLValue(client.updatedAt), SQLValue(client.deletedAt),
        ]
    }

    static func decodeClient(_ row: SQLRow) throws -> OAuthClient {
        var client = OAuthClient(
            id: try row.string("id"),
            tenant: TenantID(rawValue: try row.string("tenant_id")),
            clientID: try row.string("client_id"),
            name: try row.string("name"),
            isConfidential: try row.bool("is_confidential"),
            redirectURIs: try row.json("redirect_uris", as: [String].self),
            grantTypes: try row.json("grant_types", as: [String].self).compactMap(GrantType.init(rawValue:)),
            authMethods: try row.json("client_auth_methods", as: [String].self).compactMap(ClientAuthenticationMethod.init(rawValue:)),
            scopes: try row.json("scopes", as: [String].self),
            corsOrigins: try row.json("cors_origins", as: [String].self),
            jwks: row.optionalString("jwks"),
            jwksURI: row.optionalString("jwks_uri"),
            logoURL: row.optionalString("logo_url"),
            privacyPolicy: row.optionalString("privacy_policy"),
            termsURL: row.optionalString("terms_url"),
            website: row.optionalString("website"),
            fapiProfile: FAPIProfile(rawValue: try row.string("fapi_profile")) ?? .none,
            accessTokenFormat: AccessTokenFormat(rawValue: row.optionalString("access_token_format") ?? "jwt") ?? .jwt,
            status: ClientStatus(rawValue: try row.string("status")) ?? .suspended,
            secretLastFour: row.optionalString("secret_last_four"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"),
            deletedAt: row.optionalDate("deleted_at")
        )
        client.openID = (try? row.json("metadata", as: OpenIDClientMetadata.self)) ?? OpenIDClientMetadata()
        client.isFirstParty = try row.bool("first_party")
        client.pkceRequired = try row.bool("require_pkce")
        return client
    }
}
