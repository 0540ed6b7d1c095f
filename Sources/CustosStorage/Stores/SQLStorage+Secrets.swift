import CustosCore
import Foundation

extension SQLStorage {
    public func secrets(clientRecordID: String, tenant: TenantID) async throws -> [ClientSecretRecord] {
        try await database.query(
            "SELECT * FROM oauth_client_secrets WHERE client_pk = ? AND tenant_id = ? ORDER BY created_at, id",
            .text(clientRecordID),
            .text(tenant.rawValue)
        ).map(Self.decodeSecret)
    }

    public func add(_ secret: ClientSecretRecord, maximumActive: Int, audit: AuditEvent) async throws -> Bool {
        let lock = forUpdate
        return try await database.transaction { executor in
            // Lock the client row so two concurrent adds cannot both see room for one more.
            try await executor.query("SELECT id FROM oauth_clients WHERE id = ?\(lock)", .text(secret.clientRecordID))
            let active = try Self.count(
                try await executor.query(
                    "SELECT COUNT(*) AS n FROM oauth_client_secrets WHERE client_pk = ? AND status = 'active'",
                    .text(secret.clientRecordID)
                )
            )
            guard active < maximumActive else { return false }
            try await Self.insertSecret(secret, into: executor)
            try await Self.insertAudit(audit, into: executor)
            return true
        }
    }

    public func rotate(to newSecret: ClientSecretRecord, graceUntil: Date, audit: AuditEvent) async throws {
        try await database.transaction { executor in
            try await executor.query(
                "UPDATE oauth_client_secrets SET status = 'rotated', expires_at = ?, updated_at = ? WHERE client_pk = ? AND status = 'active'",
                SQLValue(graceUntil),
                SQLValue(newSecret.createdAt),
                .text(newSecret.clientRecordID)
            )
            try await Self.insertSecret(newSecret, into: executor)
            try await Self.insertAudit(audit, into: executor)
        }
    }

    public func delete(
        secretID: String,
        clientRecordID: String,
        tenant: TenantID,
        audit: AuditEvent
    ) async throws
        -> SecretChangeOutcome
    {
        try await changeSecret(secretID: secretID, clientRecordID: clientRecordID, tenant: tenant) { executor, secret in
            try await executor.query("DELETE FROM oauth_client_secrets WHERE id = ?", .text(secret.id))
            try await Self.insertAudit(audit, into: executor)
            return secret
        }
    }

    public func deactivate(
        secretID: String,
        clientRecordID: String,
        tenant: TenantID,
        at date: Date,
        audit: AuditEvent
    )
        async throws -> SecretChangeOutcome
    {
        try await changeSecret(secretID: secretID, clientRecordID: clientRecordID, tenant: tenant) { executor, secret in
            try await executor.query(
                "UPDATE oauth_client_secrets SET status = 'inactive', updated_at = ? WHERE id = ?",
                SQLValue(date),
                .text(secret.id)
            )
            try await Self.insertAudit(audit, into: executor)
            var changed = secret
            changed.status = .inactive
            changed.updatedAt = date
            return changed
        }
    }

    public func markUsed(secretID: String, at date: Date) async throws {
        // At most one write a minute per secret: this runs on every token request.
        try await database.query(
            "UPDATE oauth_client_secrets SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
            SQLValue(date),
            .text(secretID),
            SQLValue(date.addingTimeInterval(-60))
        )
    }

    /// Finds the secret under a lock on its client and applies `change`, unless it is the
    /// client's last active secret.
    private func changeSecret(
        secretID: String,
        clientRecordID: String,
        tenant: TenantID,
        _ change: @escaping @Sendable (any SQLExecutor, ClientSecretRecord) async throws -> ClientSecretRecord
    ) async throws -> SecretChangeOutcome {
        let lock = forUpdate
        return try await database.transaction { executor in
            try await executor.query("SELECT id FROM oauth_clients WHERE id = ?\(lock)", .text(clientRecordID))
            guard
                let secret = try await executor.query(
                    "SELECT * FROM oauth_client_secrets WHERE id = ? AND client_pk = ? AND tenant_id = ?",
                    .text(secretID),
                    .text(clientRecordID),
                    .text(tenant.rawValue)
                ).first.map(Self.decodeSecret)
            else { return .notFound }
            if secret.status == .active {
                let otherActive = try Self.count(
                    try await executor.query(
                        "SELECT COUNT(*) AS n FROM oauth_client_secrets WHERE client_pk = ? AND status = 'active' AND id <> ?",
                        .text(clientRecordID),
                        .text(secretID)
                    )
                )
                if otherActive == 0 { return .lastActiveSecret }
            }
            return .changed(try await change(executor, secret))
        }
    }

    static func insertSecret(_ secret: ClientSecretRecord, into executor: any SQLExecutor) async throws {
        try await executor.query(
            """
            INSERT INTO oauth_client_secrets (id, tenant_id, client_pk, digest, last_four, status, description, created_at,
                updated_at, expires_at, last_used_at, sealed_value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(secret.id),
            .text(secret.tenant.rawValue),
            .text(secret.clientRecordID),
            .text(secret.digest),
            .text(secret.lastFour),
            .text(secret.status.rawValue),
            .text(secret.description),
            SQLValue(secret.createdAt),
            SQLValue(secret.updatedAt),
            SQLValue(secret.expiresAt),
            SQLValue(secret.lastUsedAt),
            SQLValue(secret.sealedValue)
        )
    }

    static func decodeSecret(_ row: SQLRow) throws -> ClientSecretRecord {
        ClientSecretRecord(
            id: try row.string("id"),
            tenant: TenantID(rawValue: try row.string("tenant_id")),
            clientRecordID: try row.string("client_pk"),
            digest: try row.string("digest"),
            lastFour: try row.string("last_four"),
            status: ClientSecretRecord.Status(rawValue: try row.string("status")) ?? .inactive,
            description: try row.string("description"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"),
            expiresAt: row.optionalDate("expires_at"),
            lastUsedAt: row.optionalDate("last_used_at"),
            sealedValue: row.optionalString("sealed_value")
        )
    }
}
