import CustosCore
import Foundation

extension SQLStorage {
    public func insert(_ request: PushedAuthorizationRequest) async throws {
        // Requests nobody used are swept here, so the table holds only live ones without a
        // janitor (the index on expires_at keeps this cheap).
        try await database.query(
            "DELETE FROM pushed_authorization_requests WHERE tenant_id = ? AND expires_at <= ?",
            .text(request.tenant.rawValue),
            SQLValue(request.createdAt)
        )
        try await database.query(
            """
            INSERT INTO pushed_authorization_requests (digest, tenant_id, client_id, parameters, created_at, expires_at, consumed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            .text(request.digest),
            .text(request.tenant.rawValue),
            .text(request.clientID),
            try .json(request.parameters),
            SQLValue(request.createdAt),
            SQLValue(request.expiresAt),
            SQLValue(request.consumedAt)
        )
    }

    public func consume(digest: String, clientID: String, tenant: TenantID, now: Date) async throws -> PushedAuthorizationRequest? {
        // One statement decides: the row changes only while unused and live, so of two nodes
        // racing for it one gets the row back and the other nothing (RFC 9126 §4).
        try await database.query(
            """
            UPDATE pushed_authorization_requests SET consumed_at = ?
            WHERE digest = ? AND tenant_id = ? AND client_id = ? AND consumed_at IS NULL AND expires_at > ?
            RETURNING digest, tenant_id, client_id, parameters, created_at, expires_at, consumed_at
            """,
            SQLValue(now),
            .text(digest),
            .text(tenant.rawValue),
            .text(clientID),
            SQLValue(now)
        ).first.map { row in
            PushedAuthorizationRequest(
                digest: try row.string("digest"),
                tenant: TenantID(rawValue: try row.string("tenant_id")),
                clientID: try row.string("client_id"),
                parameters: try row.json("parameters", as: [String: String].self),
                createdAt: try row.date("created_at"),
                expiresAt: try row.date("expires_at"),
                consumedAt: row.optionalDate("consumed_at")
            )
        }
    }
}
