import CustosCore
import Foundation

extension SQLStorage {
    public func insert(_ code: AuthorizationCode) async throws {
        try await database.query(
            """
            INSERT INTO authorization_codes (digest, tenant_id, client_id, user_id, grant_id, redirect_uri, scopes,
                code_challenge, nonce, auth_time, session_id, amr, created_at, expires_at, consumed_at, claims, acr, dpop_jkt,
                authorization_details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
            """,
            .text(code.digest),
            .text(code.tenant.rawValue),
            .text(code.clientID),
            .text(code.userID),
            .text(code.grantID),
            SQLValue(code.redirectURI),
            try .json(code.scopes),
            .text(code.codeChallenge ?? ""),
            SQLValue(code.nonce),
            SQLValue(code.authTime),
            .text(code.sessionID),
            try .json(code.amr),
            SQLValue(code.createdAt),
            SQLValue(code.expiresAt),
            try code.claims.map { try SQLValue.json($0) } ?? .null,
            SQLValue(code.acr),
            SQLValue(code.dpopJKT),
            SQLValue(code.authorizationDetails?.canonicalJSON)
        )
    }

    public func code(digest: String, tenant: TenantID) async throws -> AuthorizationCode? {
        try await database.query(
            "SELECT * FROM authorization_codes WHERE digest = ? AND tenant_id = ?",
            .text(digest),
            .text(tenant.rawValue)
        ).first.map { row in
            AuthorizationCode(
                digest: try row.string("digest"),
                tenant: TenantID(rawValue: try row.string("tenant_id")),
                clientID: try row.string("client_id"),
                userID: try row.string("user_id"),
                grantID: try row.string("grant_id"),
                redirectURI: row.optionalString("redirect_uri"),
                scopes: try row.json("scopes", as: [String].self),
                // The column predates optional PKCE (rule 17); "" stands for no challenge.
                codeChallenge: row.optionalString("code_challenge").flatMap { $0.isEmpty ? nil : $0 },
                nonce: row.optionalString("nonce"),
                authTime: try row.date("auth_time"),
                sessionID: try row.string("session_id"),
                amr: try row.json("amr", as: [String].self),
                createdAt: try row.date("created_at"),
                expiresAt: try row.date("expires_at"),
                consumedAt: row.optionalDate("consumed_at"),
                claims: row.optionalString("claims").flatMap { try? JSONDecoder().decode(ClaimsRequest.self, from: Data($0.utf8)) },
                acr: row.optionalString("acr"),
                dpopJKT: row.optionalString("dpop_jkt"),
                // Written by `insert` from a parsed value; a row that cannot be read is an error.
                authorizationDetails: try row.optionalString("authorization_details").map {
                    try JSONDecoder().decode(AuthorizationDetails.self, from: Data($0.utf8))
                }
            )
        }
    }

    public func redeem(digest: String, tenant: TenantID, at date: Date, tokens: [IssuedToken]) async throws -> Bool {
        let share = forShare
        return try await database.transaction { executor in
            // No token for a user who is not active: re-checked under the user's row, which
            // disabling, a new password and deletion update before they revoke the user's tokens.
            if let userID = tokens.lazy.compactMap(\.userID).first {
                let user = try await executor.query(
                    "SELECT status FROM users WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL\(share)",
                    .text(userID),
                    .text(tenant.rawValue)
                ).first
                guard let user, try user.string("status") == User.Status.active.rawValue else { return false }
            }
            // The conditional update is the single point of truth: of concurrent redemptions,
            // on one node or many, exactly one sees a row come back.
            let consumed = try await executor.query(
                "UPDATE authorization_codes SET consumed_at = ? WHERE digest = ? AND tenant_id = ? AND consumed_at IS NULL RETURNING digest",
                SQLValue(date),
                .text(digest),
                .text(tenant.rawValue)
            )
            guard !consumed.isEmpty else { return false }
            for token in tokens { try await Self.insertToken(token, into: executor) }
            return true
        }
    }

    public func clientIDs(sessionID: String, tenant: TenantID) async throws -> [String] {
        try await database.query(
            "SELECT DISTINCT client_id FROM authorization_codes WHERE session_id = ? AND tenant_id = ?",
            .text(sessionID),
            .text(tenant.rawValue)
        ).map { try $0.string("client_id") }
    }

    public func sessionIDs(userID: String, tenant: TenantID) async throws -> [String] {
        try await database.query(
            "SELECT DISTINCT session_id FROM authorization_codes WHERE user_id = ? AND tenant_id = ?",
            .text(userID),
            .text(tenant.rawValue)
        ).map { try $0.string("session_id") }
    }

    public func firstUse(of key: String, tenant: TenantID, expiresAt: Date, now: Date) async throws -> Bool {
        try await database.transaction { executor in
            try await executor.query(
                "DELETE FROM replay_cache WHERE tenant_id = ? AND cache_key = ? AND expires_at <= ?",
                .text(tenant.rawValue),
                .text(key),
                SQLValue(now)
            )
            let inserted = try await executor.query(
                "INSERT INTO replay_cache (tenant_id, cache_key, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING cache_key",
                .text(tenant.rawValue),
                .text(key),
                SQLValue(expiresAt)
            )
            return !inserted.isEmpty
        }
    }
}
