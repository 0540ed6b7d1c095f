import CustosCore
import Foundation

extension SQLStorage {
    /// The record's columns and the `metadata` document (`ClientMetadata`, encoded). `name`
    /// and `status` are columns because the listing filters on them; `name` is written from
    /// the metadata and never read back.
    static let clientColumns = """
        c.id, c.tenant_id, c.client_id, c.status, c.metadata, c.created_at, c.updated_at, c.deleted_at, c.first_party,
        c.require_pkce,
        (SELECT s.last_four FROM oauth_client_secrets s WHERE s.client_pk = c.id AND s.status = 'active'
            ORDER BY s.created_at DESC, s.id DESC LIMIT 1) AS secret_last_four
        """

    public func insert(_ client: OAuthClient, secrets: [ClientSecretRecord], audit: AuditEvent) async throws {
        try await database.transaction { executor in
            try await executor.query(
                """
                INSERT INTO oauth_clients (id, tenant_id, client_id, name, status, metadata, first_party, require_pkce,
                    created_at, updated_at, deleted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(client.id), .text(client.tenant.rawValue), .text(client.clientID)] + (try Self.clientValues(client)) + [
                    SQLValue(client.createdAt), SQLValue(client.updatedAt), SQLValue(client.deletedAt),
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
            try await executor.query(
                """
                UPDATE oauth_clients SET name = ?, status = ?, metadata = ?, first_party = ?, require_pkce = ?, updated_at = ?
                WHERE id = ? AND deleted_at IS NULL
                """,
                try Self.clientValues(client) + [SQLValue(client.updatedAt), .text(client.id)]
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

    /// The columns an insert and an update both write, in the order both statements list them.
    public func authorizationDetailsTypes(tenant: TenantID) async throws -> [String] {
        // The metadata is a JSON document in a text column on both databases; the LIKE only
        // skips the clients that cannot hold the member, the decoding below decides.
        let rows = try await database.query(
            """
            SELECT metadata FROM oauth_clients
            WHERE tenant_id = ? AND deleted_at IS NULL AND status = ? AND metadata LIKE '%"authorization_details_types"%'
            """,
            .text(tenant.rawValue),
            .text(ClientStatus.active.rawValue)
        )
        var types = Set<String>()
        for row in rows {
            let metadata = try row.json("metadata", as: ClientMetadata.self)
            types.formUnion(metadata.authorizationDetailsTypes ?? [])
        }
        return types.sorted()
    }

    static func clientValues(_ client: OAuthClient) throws -> [SQLValue] {
        [
            .text(client.metadata.name), .text(client.status.rawValue), try .json(client.metadata), SQLValue(client.isFirstParty),
            SQLValue(client.pkceRequired),
        ]
    }

    static func decodeClient(_ row: SQLRow) throws -> OAuthClient {
        OAuthClient(
            id: try row.string("id"),
            tenant: TenantID(rawValue: try row.string("tenant_id")),
            clientID: try row.string("client_id"),
            metadata: try row.json("metadata", as: ClientMetadata.self),
            status: ClientStatus(rawValue: try row.string("status")) ?? .suspended,
            isFirstParty: try row.bool("first_party"),
            pkceRequired: try row.bool("require_pkce"),
            secretLastFour: row.optionalString("secret_last_four"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"),
            deletedAt: row.optionalDate("deleted_at")
        )
    }
}
