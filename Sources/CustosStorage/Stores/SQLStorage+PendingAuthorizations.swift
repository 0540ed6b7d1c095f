import CustosCore
import Foundation

extension SQLStorage {
    public func insert(_ pending: PendingAuthorization) async throws {
        // Requests nobody came back for are swept here, so the table holds only live ones
        // without a janitor (the index on expires_at keeps this cheap).
        try await database.query(
            "DELETE FROM pending_authorizations WHERE tenant_id = ? AND expires_at <= ?",
            .text(pending.tenant.rawValue),
            SQLValue(pending.createdAt)
        )
        try await database.query(
            """
            INSERT INTO pending_authorizations (digest, tenant_id, client_id, parameters, session_id_at_start, decision,
                decided_in_session_id, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(pending.digest),
            .text(pending.tenant.rawValue),
            .text(pending.clientID),
            try .json(pending.parameters),
            SQLValue(pending.sessionIDAtStart),
            SQLValue(pending.decision?.rawValue),
            SQLValue(pending.decidedInSessionID),
            SQLValue(pending.createdAt),
            SQLValue(pending.expiresAt)
        )
    }

    public func pendingAuthorization(digest: String, tenant: TenantID, now: Date) async throws -> PendingAuthorization? {
        try await database.query(
            "SELECT * FROM pending_authorizations WHERE digest = ? AND tenant_id = ? AND expires_at > ?",
            .text(digest),
            .text(tenant.rawValue),
            SQLValue(now)
        ).first.map { row in
            PendingAuthorization(
                digest: try row.string("digest"),
                tenant: TenantID(rawValue: try row.string("tenant_id")),
                clientID: try row.string("client_id"),
                parameters: try row.json("parameters", as: [String: String].self),
                sessionIDAtStart: row.optionalString("session_id_at_start"),
                decision: row.optionalString("decision").flatMap(PendingAuthorization.Decision.init(rawValue:)),
                decidedInSessionID: row.optionalString("decided_in_session_id"),
                createdAt: try row.date("created_at"),
                expiresAt: try row.date("expires_at")
            )
        }
    }

    public func recordDecision(
        _ decision: PendingAuthorization.Decision,
        sessionID: String,
        digest: String,
        tenant: TenantID
    ) async throws -> Bool {
        !(try await database.query(
            "UPDATE pending_authorizations SET decision = ?, decided_in_session_id = ? WHERE digest = ? AND tenant_id = ? RETURNING digest",
            .text(decision.rawValue),
            .text(sessionID),
            .text(digest),
            .text(tenant.rawValue)
        )).isEmpty
    }

    public func deletePendingAuthorization(digest: String, tenant: TenantID) async throws -> Bool {
        let deleted = try await database.query(
            "DELETE FROM pending_authorizations WHERE digest = ? AND tenant_id = ? RETURNING digest",
            .text(digest),
            .text(tenant.rawValue)
        )
        return !deleted.isEmpty
    }
}
