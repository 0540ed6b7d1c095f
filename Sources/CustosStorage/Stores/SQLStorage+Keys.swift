import CustosCore
import Foundation

extension SQLStorage {
    public func signingKeys(tenant: TenantID) async throws -> [StoredSigningKey] {
        try await database.query("SELECT * FROM signing_keys WHERE tenant_id = ? ORDER BY activates_at, kid", .text(tenant.rawValue))
            .map { row in
                StoredSigningKey(
                    kid: try row.string("kid"),
                    tenant: TenantID(rawValue: try row.string("tenant_id")),
                    algorithm: SigningAlgorithm(rawValue: try row.string("algorithm")) ?? .ES256,
                    publicJWK: try row.string("public_jwk"),
                    sealedPrivateKey: try row.string("sealed_private_key"),
                    status: StoredSigningKey.Status(rawValue: try row.string("status")) ?? .retired,
                    createdAt: try row.date("created_at"),
                    activatesAt: try row.date("activates_at"),
                    retiresAt: row.optionalDate("retires_at")
                )
            }
    }

    public func insertFirstKey(_ key: StoredSigningKey) async throws -> Bool {
        let dialect = database.dialect
        return try await database.transaction { executor in
            if dialect == .postgres {
                // Serialise first starts of several nodes on one advisory lock per purpose.
                try await executor.query("SELECT pg_advisory_xact_lock(?)", .int(7_305_002))
            }
            let existing = try Self.count(
                try await executor.query(
                    "SELECT COUNT(*) AS n FROM signing_keys WHERE tenant_id = ? AND algorithm = ?",
                    .text(key.tenant.rawValue),
                    .text(key.algorithm.rawValue)
                )
            )
            guard existing == 0 else { return false }
            try await Self.insertKey(key, into: executor)
            return true
        }
    }

    public func insertPendingKey(_ key: StoredSigningKey) async throws -> Bool {
        let dialect = database.dialect
        return try await database.transaction { executor in
            if dialect == .postgres { try await executor.query("SELECT pg_advisory_xact_lock(?)", .int(7_305_002)) }
            let pending = try Self.count(
                try await executor.query(
                    "SELECT COUNT(*) AS n FROM signing_keys WHERE tenant_id = ? AND algorithm = ? AND status = 'next'",
                    .text(key.tenant.rawValue),
                    .text(key.algorithm.rawValue)
                )
            )
            guard pending == 0 else { return false }
            try await Self.insertKey(key, into: executor)
            return true
        }
    }

    public func insert(_ key: StoredSigningKey) async throws {
        try await Self.insertKey(key, into: database)
    }

    public func update(_ key: StoredSigningKey) async throws {
        try await database.query(
            "UPDATE signing_keys SET status = ?, activates_at = ?, retires_at = ? WHERE kid = ? AND tenant_id = ?",
            .text(key.status.rawValue),
            SQLValue(key.activatesAt),
            SQLValue(key.retiresAt),
            .text(key.kid),
            .text(key.tenant.rawValue)
        )
    }

    static func insertKey(_ key: StoredSigningKey, into executor: any SQLExecutor) async throws {
        try await executor.query(
            """
            INSERT INTO signing_keys (kid, tenant_id, algorithm, public_jwk, sealed_private_key, status, created_at,
                activates_at, retires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(key.kid),
            .text(key.tenant.rawValue),
            .text(key.algorithm.rawValue),
            .text(key.publicJWK),
            .text(key.sealedPrivateKey),
            .text(key.status.rawValue),
            SQLValue(key.createdAt),
            SQLValue(key.activatesAt),
            SQLValue(key.retiresAt)
        )
    }

    // MARK: Settings

    public func setting(_ name: String, tenant: TenantID) async throws -> String? {
        try await database.query("SELECT value FROM custos_settings WHERE tenant_id = ? AND name = ?", .text(tenant.rawValue), .text(name))
            .first?.optionalString("value")
    }

    public func claimSetting(_ name: String, value: String, tenant: TenantID) async throws -> Bool {
        let rows = try await database.query(
            "INSERT INTO custos_settings (tenant_id, name, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING name",
            .text(tenant.rawValue),
            .text(name),
            .text(value)
        )
        return !rows.isEmpty
    }
}
