import CustosCore
import Foundation

extension SQLStorage {
    public func insert(_ session: BrowserSession) async throws {
        try await database.query(
            """
            INSERT INTO browser_sessions (id, tenant_id, digest, user_id, auth_time, amr, created_at, last_seen_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(session.id),
            .text(session.tenant.rawValue),
            .text(session.digest),
            .text(session.userID),
            SQLValue(session.authTime),
            try .json(session.amr),
            SQLValue(session.createdAt),
            SQLValue(session.lastSeenAt),
            SQLValue(session.expiresAt)
        )
    }

    public func session(digest: String, tenant: TenantID) async throws -> BrowserSession? {
        try await database.query(
            "SELECT * FROM browser_sessions WHERE digest = ? AND tenant_id = ?",
            .text(digest),
            .text(tenant.rawValue)
        ).first.map(Self.decodeSession)
    }

    static func decodeSession(_ row: SQLRow) throws -> BrowserSession {
        BrowserSession(
            id: try row.string("id"),
            tenant: TenantID(rawValue: try row.string("tenant_id")),
            digest: try row.string("digest"),
            userID: try row.string("user_id"),
            authTime: try row.date("auth_time"),
            amr: try row.json("amr", as: [String].self),
            createdAt: try row.date("created_at"),
            lastSeenAt: try row.date("last_seen_at"),
            expiresAt: try row.date("expires_at")
        )
    }

    public func session(id: String, tenant: TenantID) async throws -> BrowserSession? {
        try await database.query(
            "SELECT * FROM browser_sessions WHERE id = ? AND tenant_id = ?",
            .text(id),
            .text(tenant.rawValue)
        ).first.map(Self.decodeSession)
    }

    public func touch(sessionID: String, at date: Date) async throws {
        try await database.query("UPDATE browser_sessions SET last_seen_at = ? WHERE id = ?", SQLValue(date), .text(sessionID))
    }

    public func delete(digest: String, tenant: TenantID) async throws {
        try await database.query("DELETE FROM browser_sessions WHERE digest = ? AND tenant_id = ?", .text(digest), .text(tenant.rawValue))
    }

    public func deleteSessions(userID: String, tenant: TenantID) async throws {
        try await database.query(
            "DELETE FROM browser_sessions WHERE user_id = ? AND tenant_id = ?",
            .text(userID),
            .text(tenant.rawValue)
        )
    }

    // MARK: Consents

    public func grant(_ consent: Consent) async throws -> Consent {
        let lock = forUpdate
        return try await database.transaction { executor in
            if let existing = try await executor.query(
                "SELECT * FROM consents WHERE tenant_id = ? AND user_id = ? AND client_id = ? AND revoked_at IS NULL\(lock)",
                .text(consent.tenant.rawValue),
                .text(consent.userID),
                .text(consent.clientID)
            ).first.map(Self.decodeConsent) {
                var widened = existing
                widened.scopes = Array(Set(existing.scopes).union(consent.scopes)).sorted()
                widened.claims = Array(Set(existing.claims).union(consent.claims)).sorted()
                widened.updatedAt = consent.updatedAt
                try await executor.query(
                    "UPDATE consents SET scopes = ?, claims = ?, updated_at = ? WHERE id = ?",
                    try .json(widened.scopes),
                    try .json(widened.claims),
                    SQLValue(widened.updatedAt),
                    .text(widened.id)
                )
                return widened
            }
            try await executor.query(
                """
                INSERT INTO consents (id, tenant_id, user_id, client_id, scopes, claims, created_at, updated_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
                """,
                .text(consent.id),
                .text(consent.tenant.rawValue),
                .text(consent.userID),
                .text(consent.clientID),
                try .json(consent.scopes),
                try .json(consent.claims),
                SQLValue(consent.createdAt),
                SQLValue(consent.updatedAt)
            )
            return consent
        }
    }

    public func consent(userID: String, clientID: String, tenant: TenantID) async throws -> Consent? {
        try await database.query(
            "SELECT * FROM consents WHERE tenant_id = ? AND user_id = ? AND client_id = ? AND revoked_at IS NULL",
            .text(tenant.rawValue),
            .text(userID),
            .text(clientID)
        ).first.map(Self.decodeConsent)
    }

    public func consents(userID: String, tenant: TenantID) async throws -> [Consent] {
        try await database.query(
            "SELECT * FROM consents WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
            .text(tenant.rawValue),
            .text(userID)
        ).map(Self.decodeConsent)
    }

    public func withdraw(id: String, userID: String, tenant: TenantID, at date: Date) async throws -> Bool {
        let lock = forUpdate
        return try await database.transaction { executor in
            // The user's row first, as every revocation of a user's tokens: see `storeRefresh`.
            try await executor.query("SELECT id FROM users WHERE id = ? AND tenant_id = ?\(lock)", .text(userID), .text(tenant.rawValue))
            guard
                let row = try await executor.query(
                    "UPDATE consents SET revoked_at = ? WHERE id = ? AND user_id = ? AND tenant_id = ? AND revoked_at IS NULL RETURNING client_id",
                    SQLValue(date),
                    .text(id),
                    .text(userID),
                    .text(tenant.rawValue)
                ).first
            else { return false }
            try await executor.query(
                """
                UPDATE oauth_tokens SET revoked_at = ?
                WHERE user_id = ? AND client_id = ? AND tenant_id = ? AND (revoked_at IS NULL OR revoked_at > ?)
                """,
                SQLValue(date),
                .text(userID),
                .text(try row.string("client_id")),
                .text(tenant.rawValue),
                SQLValue(date)
            )
            return true
        }
    }

    static func decodeConsent(_ row: SQLRow) throws -> Consent {
        Consent(
            id: try row.string("id"),
            tenant: TenantID(rawValue: try row.string("tenant_id")),
            userID: try row.string("user_id"),
            clientID: try row.string("client_id"),
            scopes: try row.json("scopes", as: [String].self),
            claims: row.optionalString("claims").flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? [],
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"),
            revokedAt: row.optionalDate("revoked_at")
        )
    }
}
