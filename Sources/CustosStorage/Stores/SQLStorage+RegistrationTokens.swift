import CustosCore
import Foundation

extension SQLStorage {
    public func insertRegistrationToken(_ token: RegistrationToken, audit: AuditEvent) async throws {
        try await database.transaction { executor in
            try await executor.query(
                """
                INSERT INTO registration_tokens (id, tenant_id, digest, scopes, grant_types, expires_at, max_uses, uses, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                .text(token.id),
                .text(token.tenant.rawValue),
                .text(token.digest),
                try .json(token.policy.scopes),
                try .json(token.policy.grantTypes.map(\.rawValue)),
                SQLValue(token.expiresAt),
                token.maxUses.map { SQLValue($0) } ?? .null,
                SQLValue(token.uses),
                SQLValue(token.createdAt)
            )
            try await Self.insertAudit(audit, into: executor)
        }
    }

    public func registrationTokens(tenant: TenantID, page: PageRequest) async throws -> Page<RegistrationToken> {
        let total = try Self.count(
            try await database.query("SELECT COUNT(*) AS n FROM registration_tokens WHERE tenant_id = ?", .text(tenant.rawValue))
        )
        let rows = try await database.query(
            "SELECT * FROM registration_tokens WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            .text(tenant.rawValue),
            SQLValue(page.pageSize),
            SQLValue(page.offset)
        )
        return Page(items: try rows.map(Self.decodeRegistrationToken), total: total, request: page)
    }

    public func registrationToken(digest: String, tenant: TenantID) async throws -> RegistrationToken? {
        try await database.query(
            "SELECT * FROM registration_tokens WHERE digest = ? AND tenant_id = ?",
            .text(digest),
            .text(tenant.rawValue)
        ).first.map(Self.decodeRegistrationToken)
    }

    public func useRegistrationToken(digest: String, tenant: TenantID, at date: Date) async throws -> RegistrationToken? {
        // The condition and the increment are one statement: of concurrent registrations, on
        // one node or many, at most max_uses see a row come back.
        try await database.query(
            """
            UPDATE registration_tokens SET uses = uses + 1
            WHERE digest = ? AND tenant_id = ? AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)
            RETURNING *
            """,
            .text(digest),
            .text(tenant.rawValue),
            SQLValue(date)
        ).first.map(Self.decodeRegistrationToken)
    }

    public func deleteRegistrationToken(id: String, tenant: TenantID, audit: AuditEvent) async throws -> Bool {
        try await database.transaction { executor in
            let deleted = try await executor.query(
                "DELETE FROM registration_tokens WHERE id = ? AND tenant_id = ? RETURNING id",
                .text(id),
                .text(tenant.rawValue)
            )
            guard !deleted.isEmpty else { return false }
            try await Self.insertAudit(audit, into: executor)
            return true
        }
    }

    static func decodeRegistrationToken(_ row: SQLRow) throws -> RegistrationToken {
        RegistrationToken(
            id: try row.string("id"),
            tenant: TenantID(rawValue: try row.string("tenant_id")),
            digest: try row.string("digest"),
            policy: RegistrationPolicy(
                scopes: try row.json("scopes", as: [String].self),
                grantTypes: try row.json("grant_types", as: [String].self).compactMap(GrantType.init(rawValue:))
            ),
            expiresAt: try row.date("expires_at"),
            maxUses: row.optionalInt("max_uses").map(Int.init),
            uses: Int(try row.int("uses")),
            createdAt: try row.date("created_at")
        )
    }
}
