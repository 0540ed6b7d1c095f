import CustosCore
import Foundation

extension SQLStorage {
    /// Group-committed with the records of concurrent requests (`InsertBatcher`): each
    /// request's tokens are stored atomically and before it returns.
    public func record(_ tokens: [IssuedToken]) async throws {
        try await tokenInserts.insert(try tokens.map(Self.tokenRow))
    }

    static let tokenColumns = [
        "id", "tenant_id", "client_pk", "client_id", "user_id", "grant_id", "token_type", "digest", "scope", "created_at",
        "expires_at", "revoked_at", "consumed_at", "claims", "session_id", "attributes",
    ]

    static func tokenRow(_ token: IssuedToken) throws -> [SQLValue] {
        [
            .text(token.id), .text(token.tenant.rawValue), .text(token.clientRecordID), .text(token.clientID),
            SQLValue(token.userID), SQLValue(token.grantID), .text(token.kind.rawValue), SQLValue(token.digest), .text(token.scope),
            SQLValue(token.createdAt), SQLValue(token.expiresAt), SQLValue(token.revokedAt), SQLValue(token.consumedAt),
            try token.requestedClaims.map { try SQLValue.json($0.sorted()) } ?? .null, SQLValue(token.sessionID),
            try SQLValue.json(token.attributes),
        ]
    }

    static func insertToken(_ token: IssuedToken, into executor: any SQLExecutor) async throws {
        let placeholders = Array(repeating: "?", count: tokenColumns.count).joined(separator: ", ")
        try await executor.query(
            "INSERT INTO oauth_tokens (\(tokenColumns.joined(separator: ", "))) VALUES (\(placeholders))",
            try tokenRow(token)
        )
    }

    public func token(digest: String, tenant: TenantID) async throws -> IssuedToken? {
        try await database.query(
            "SELECT * FROM oauth_tokens WHERE digest = ? AND tenant_id = ?",
            .text(digest),
            .text(tenant.rawValue)
        ).first.map(Self.decodeToken)
    }

    public func revokeGrant(_ grantID: String, tenant: TenantID, at date: Date) async throws {
        let lock = grantLock
        try await database.transaction { executor in
            // The grant's lock first: a refresh of this grant that is storing its tokens finishes
            // before this statement reads the grant's rows (so its tokens are revoked too), and one
            // that starts later sees the revocation and stores nothing.
            try await lock(grantID, tenant, executor)
            try await executor.query(
                "UPDATE oauth_tokens SET revoked_at = ? WHERE grant_id = ? AND tenant_id = ? AND (revoked_at IS NULL OR revoked_at > ?)",
                SQLValue(date),
                .text(grantID),
                .text(tenant.rawValue),
                SQLValue(date)
            )
        }
    }

    public func revokeToken(id: String, tenant: TenantID, at date: Date) async throws {
        try await database.query(
            "UPDATE oauth_tokens SET revoked_at = ? WHERE id = ? AND tenant_id = ? AND (revoked_at IS NULL OR revoked_at > ?)",
            SQLValue(date),
            .text(id),
            .text(tenant.rawValue),
            SQLValue(date)
        )
    }

    public func rotateRefreshToken(id: String, tenant: TenantID, at date: Date, replacements: [IssuedToken]) async throws -> Bool {
        try await storeRefresh(of: id, tenant: tenant, at: date, consuming: true, replacements: replacements)
    }

    public func recordRefresh(of id: String, tenant: TenantID, at date: Date, tokens: [IssuedToken]) async throws -> Bool {
        try await storeRefresh(of: id, tenant: tenant, at: date, consuming: false, replacements: tokens)
    }

    /// The one transaction of every refresh. Revocation wins races: the refresh token is
    /// re-read after the locks that every revocation takes first, in the same order —
    ///   1. the grant's lock (`revokeGrant`: /oauth/revoke, reuse detection),
    ///   2. the client's row (`revokeAll(clientRecordID:)`), shared,
    ///   3. the user's row (disabling, a new password, deletion, `revokeAll(userID:)`), shared,
    /// so a revocation that answered before this transaction took its lock is seen here, and
    /// one that comes later waits for this commit and then revokes what it stored. On SQLite
    /// the single writer serializes the transactions anyway; the checks are the same.
    private func storeRefresh(
        of id: String,
        tenant: TenantID,
        at date: Date,
        consuming: Bool,
        replacements: [IssuedToken]
    )
        async throws -> Bool
    {
        let lockGrant = grantLock
        let share = forShare
        return try await database.transaction { executor in
            guard
                let row = try await executor.query(
                    "SELECT grant_id, client_pk, user_id FROM oauth_tokens WHERE id = ? AND tenant_id = ? AND token_type = ?",
                    .text(id),
                    .text(tenant.rawValue),
                    .text(IssuedToken.Kind.refreshToken.rawValue)
                ).first, let grantID = row.optionalString("grant_id")
            else { return false }
            try await lockGrant(grantID, tenant, executor)
            try await executor.query(
                "SELECT id FROM oauth_clients WHERE id = ? AND tenant_id = ?\(share)",
                .text(try row.string("client_pk")),
                .text(tenant.rawValue)
            )
            if let userID = row.optionalString("user_id") {
                // Rule: no token for a user who is not active (disabled, locked or deleted).
                let user = try await executor.query(
                    "SELECT status FROM users WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL\(share)",
                    .text(userID),
                    .text(tenant.rawValue)
                ).first
                guard let user, try user.string("status") == User.Status.active.rawValue else { return false }
            }
            let stillActive = "id = ? AND tenant_id = ? AND consumed_at IS NULL AND expires_at > ? AND (revoked_at IS NULL OR revoked_at > ?)"
            let binds: [SQLValue] = [.text(id), .text(tenant.rawValue), SQLValue(date), SQLValue(date)]
            let usable =
                consuming
                ? try await executor.query(
                    "UPDATE oauth_tokens SET consumed_at = ? WHERE \(stillActive) RETURNING id, revoked_at",
                    [SQLValue(date)] + binds
                )
                : try await executor.query("SELECT id, revoked_at FROM oauth_tokens WHERE \(stillActive)", binds)
            guard let current = usable.first else { return false }
            // A revocation the refresh token carries that takes effect after `date` (the moment
            // this request started) is one that came while the request was in flight, or a
            // client-wide revocation's grace period: either way the successors end when it does,
            // so a refresh can neither outlive a revocation that has answered nor escape one
            // that is scheduled.
            let revokedAt = current.optionalDate("revoked_at")
            for var token in replacements {
                if let revokedAt { token.revokedAt = min(token.revokedAt ?? revokedAt, revokedAt) }
                try await Self.insertToken(token, into: executor)
            }
            return true
        }
    }

    /// Serializes the writers of one grant: a transaction-scoped advisory lock on PostgreSQL
    /// (released at commit or rollback, on every node sharing the database); nothing on SQLite,
    /// whose write transactions already run one at a time.
    var grantLock: @Sendable (String, TenantID, any SQLExecutor) async throws -> Void {
        guard database.dialect == .postgres else { return { _, _, _ in } }
        return { grantID, tenant, executor in
            try await executor.query("SELECT pg_advisory_xact_lock(?)", .int(Self.grantLockKey(grantID, tenant: tenant)))
        }
    }

    /// A stable 64-bit key for the grant's advisory lock (FNV-1a over tenant and grant id): the
    /// same on every node, unlike `Hasher`. A collision only makes two grants queue together.
    static func grantLockKey(_ grantID: String, tenant: TenantID) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "custos.grant\u{0}\(tenant.rawValue)\u{0}\(grantID)".utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    public func token(id: String, tenant: TenantID) async throws -> IssuedToken? {
        try await database.query("SELECT * FROM oauth_tokens WHERE id = ? AND tenant_id = ?", .text(id), .text(tenant.rawValue))
            .first.map(Self.decodeToken)
    }

    public func activeTokens(
        clientRecordID: String,
        tenant: TenantID,
        at date: Date,
        page: PageRequest
    ) async throws
        -> Page<IssuedToken>
    {
        let condition = "client_pk = ? AND tenant_id = ? AND expires_at > ? AND (revoked_at IS NULL OR revoked_at > ?)"
        let binds: [SQLValue] = [.text(clientRecordID), .text(tenant.rawValue), SQLValue(date), SQLValue(date)]
        let total = try Self.count(try await database.query("SELECT COUNT(*) AS n FROM oauth_tokens WHERE \(condition)", binds))
        let rows = try await database.query(
            "SELECT * FROM oauth_tokens WHERE \(condition) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            binds + [SQLValue(page.pageSize), SQLValue(page.offset)]
        )
        return Page(items: try rows.map(Self.decodeToken), total: total, request: page)
    }

    public func revokeAll(
        clientRecordID: String,
        tenant: TenantID,
        effectiveAt: Date,
        now: Date,
        audit: AuditEvent
    )
        async throws -> RevocationCounts
    {
        try await revoke(
            condition: "client_pk = ? AND tenant_id = ?",
            binds: [.text(clientRecordID), .text(tenant.rawValue)],
            lock: "SELECT id FROM oauth_clients WHERE id = ? AND tenant_id = ?\(forUpdate)",
            effectiveAt: effectiveAt,
            now: now,
            audit: audit
        )
    }

    public func revokeAll(userID: String, tenant: TenantID, at date: Date, audit: AuditEvent) async throws -> RevocationCounts {
        try await revoke(
            condition: "user_id = ? AND tenant_id = ?",
            binds: [.text(userID), .text(tenant.rawValue)],
            lock: "SELECT id FROM users WHERE id = ? AND tenant_id = ?\(forUpdate)",
            effectiveAt: date,
            now: date,
            audit: audit
        )
    }

    /// Counts, then revokes, the tokens that are still active and would stay so past `effectiveAt`.
    /// `lock` (same binds) first takes the row that a refresh of these tokens holds shared while
    /// it stores its tokens (see `storeRefresh`), so no refresh in flight outlives the revocation.
    private func revoke(
        condition: String,
        binds: [SQLValue],
        lock: String,
        effectiveAt: Date,
        now: Date,
        audit: AuditEvent
    )
        async throws -> RevocationCounts
    {
        let active = "\(condition) AND expires_at > ? AND (revoked_at IS NULL OR revoked_at > ?)"
        let activeBinds = binds + [SQLValue(now), SQLValue(effectiveAt)]
        return try await database.transaction { executor in
            try await executor.query(lock, binds)
            let rows = try await executor.query(
                "SELECT token_type, COUNT(*) AS n FROM oauth_tokens WHERE \(active) GROUP BY token_type",
                activeBinds
            )
            var counts = RevocationCounts()
            for row in rows {
                let count = Int(try row.int("n"))
                if try row.string("token_type") == IssuedToken.Kind.refreshToken.rawValue {
                    counts.refreshTokens = count
                } else {
                    counts.accessTokens = count
                }
            }
            try await executor.query("UPDATE oauth_tokens SET revoked_at = ? WHERE \(active)", [SQLValue(effectiveAt)] + activeBinds)
            try await Self.insertAudit(audit, into: executor)
            return counts
        }
    }

    public func statistics(clientRecordID: String, tenant: TenantID, at date: Date) async throws -> ClientTokenStatistics {
        let rows = try await database.query(
            """
            SELECT
                SUM(CASE WHEN token_type = 'access_token' AND expires_at > ? AND (revoked_at IS NULL OR revoked_at > ?) THEN 1 ELSE 0 END) AS access,
                SUM(CASE WHEN token_type = 'refresh_token' AND expires_at > ? AND (revoked_at IS NULL OR revoked_at > ?) THEN 1 ELSE 0 END) AS refresh,
                MAX(created_at) AS last_issued
            FROM oauth_tokens WHERE client_pk = ? AND tenant_id = ?
            """,
            SQLValue(date),
            SQLValue(date),
            SQLValue(date),
            SQLValue(date),
            .text(clientRecordID),
            .text(tenant.rawValue)
        )
        let row = rows.first
        return ClientTokenStatistics(
            activeAccessTokens: Int(row?.optionalInt("access") ?? 0),
            activeRefreshTokens: Int(row?.optionalInt("refresh") ?? 0),
            lastIssuedAt: row?.optionalDate("last_issued")
        )
    }

    static func decodeToken(_ row: SQLRow) throws -> IssuedToken {
        IssuedToken(
            id: try row.string("id"),
            tenant: TenantID(rawValue: try row.string("tenant_id")),
            clientRecordID: try row.string("client_pk"),
            clientID: try row.string("client_id"),
            userID: row.optionalString("user_id"),
            grantID: row.optionalString("grant_id"),
            kind: IssuedToken.Kind(rawValue: try row.string("token_type")) ?? .accessToken,
            digest: row.optionalString("digest"),
            scope: try row.string("scope"),
            createdAt: try row.date("created_at"),
            expiresAt: try row.date("expires_at"),
            revokedAt: row.optionalDate("revoked_at"),
            consumedAt: row.optionalDate("consumed_at"),
            requestedClaims: row.optionalString("claims").flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
                .map(Set.init),
            sessionID: row.optionalString("session_id"),
            // Unlike `claims`, a row whose attributes cannot be read is an error, not an empty
            // value: reading a bound token's unreadable `cnf` as "unbound" would turn it into a
            // bearer token.
            attributes: try row.json("attributes", as: TokenAttributes.self)
        )
    }
}
