import CustosCore
import Foundation

extension SQLStorage {
    public func insert(_ user: User, audit: AuditEvent) async throws {
        try await database.transaction { executor in
            try await executor.query(
                """
                INSERT INTO users (id, tenant_id, username, username_key, email, email_key, email_verified, profile, roles,
                    status, password_hash, created_at, updated_at, deleted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                .text(user.id),
                .text(user.tenant.rawValue),
                .text(user.username),
                .text(user.username.lowercased()),
                .text(user.email),
                .text(user.email.lowercased()),
                SQLValue(user.emailVerified),
                try .json(user.profile),
                try .json(user.roles),
                .text(user.status.rawValue),
                SQLValue(user.passwordHash),
                SQLValue(user.createdAt),
                SQLValue(user.updatedAt),
                SQLValue(user.deletedAt)
            )
            try await Self.insertAudit(audit, into: executor)
        }
    }

    public func user(id: String, tenant: TenantID) async throws -> User? {
        try await database.query(
            "SELECT * FROM users WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
            .text(id),
            .text(tenant.rawValue)
        ).first.map(Self.decodeUser)
    }

    public func user(login: String, tenant: TenantID) async throws -> User? {
        let key = login.lowercased()
        return try await database.query(
            """
            SELECT * FROM users WHERE tenant_id = ? AND deleted_at IS NULL AND (username_key = ? OR email_key = ?)
            ORDER BY CASE WHEN username_key = ? THEN 0 ELSE 1 END LIMIT 1
            """,
            .text(tenant.rawValue),
            .text(key),
            .text(key),
            .text(key)
        ).first.map(Self.decodeUser)
    }

    public func users(tenant: TenantID, filter: UserFilter, page: PageRequest) async throws -> Page<User> {
        var conditions = "tenant_id = ? AND deleted_at IS NULL"
        var binds: [SQLValue] = [.text(tenant.rawValue)]
        if let email = filter.email {
            conditions += " AND email_key = ?"
            binds.append(.text(email.lowercased()))
        }
        if let username = filter.username {
            conditions += " AND username_key = ?"
            binds.append(.text(username.lowercased()))
        }
        if let status = filter.status {
            conditions += " AND status = ?"
            binds.append(.text(status.rawValue))
        }
        let total = try Self.count(try await database.query("SELECT COUNT(*) AS n FROM users WHERE \(conditions)", binds))
        let rows = try await database.query(
            "SELECT * FROM users WHERE \(conditions) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            binds + [SQLValue(page.pageSize), SQLValue(page.offset)]
        )
        return Page(items: try rows.map(Self.decodeUser), total: total, request: page)
    }

    public func update(_ user: User, audit: AuditEvent?) async throws {
        try await database.transaction { executor in
            try await Self.updateUser(user, in: executor)
            if let audit { try await Self.insertAudit(audit, into: executor) }
        }
    }

    public func update(_ user: User, endingAccessAt date: Date, audit: AuditEvent) async throws {
        try await database.transaction { executor in
            // The user's row first: a refresh in flight holds it shared while it stores its
            // tokens (`storeRefresh`), so it either finished (and its tokens are revoked below)
            // or will see the new status and store nothing.
            try await Self.updateUser(user, in: executor)
            try await Self.endAccess(userID: user.id, tenant: user.tenant, at: date, in: executor)
            try await Self.insertAudit(audit, into: executor)
        }
    }

    private static func updateUser(_ user: User, in executor: any SQLExecutor) async throws {
        try await executor.query(
            """
            UPDATE users SET username = ?, username_key = ?, email = ?, email_key = ?, email_verified = ?, profile = ?,
                roles = ?, status = ?, password_hash = ?, updated_at = ?
            WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL
            """,
            .text(user.username),
            .text(user.username.lowercased()),
            .text(user.email),
            .text(user.email.lowercased()),
            SQLValue(user.emailVerified),
            try .json(user.profile),
            try .json(user.roles),
            .text(user.status.rawValue),
            SQLValue(user.passwordHash),
            SQLValue(user.updatedAt),
            .text(user.id),
            .text(user.tenant.rawValue)
        )
    }

    /// Revokes every token of the user and deletes their browser sessions.
    private static func endAccess(userID: String, tenant: TenantID, at date: Date, in executor: any SQLExecutor) async throws {
        try await executor.query(
            "UPDATE oauth_tokens SET revoked_at = ? WHERE user_id = ? AND tenant_id = ? AND (revoked_at IS NULL OR revoked_at > ?)",
            SQLValue(date),
            .text(userID),
            .text(tenant.rawValue),
            SQLValue(date)
        )
        try await executor.query("DELETE FROM browser_sessions WHERE user_id = ? AND tenant_id = ?", .text(userID), .text(tenant.rawValue))
    }

    public func delete(_ user: User, at date: Date, audit: AuditEvent) async throws {
        try await database.transaction { executor in
            let tenant = SQLValue.text(user.tenant.rawValue)
            try await executor.query(
                "UPDATE users SET deleted_at = ?, updated_at = ? WHERE id = ? AND tenant_id = ?",
                SQLValue(date),
                SQLValue(date),
                .text(user.id),
                tenant
            )
            try await executor.query(
                "UPDATE consents SET revoked_at = ? WHERE user_id = ? AND tenant_id = ? AND revoked_at IS NULL",
                SQLValue(date),
                .text(user.id),
                tenant
            )
            try await Self.endAccess(userID: user.id, tenant: user.tenant, at: date, in: executor)
            try await Self.insertAudit(audit, into: executor)
        }
    }

    static func decodeUser(_ row: SQLRow) throws -> User {
        User(
            id: try row.string("id"),
            tenant: TenantID(rawValue: try row.string("tenant_id")),
            username: try row.string("username"),
            email: try row.string("email"),
            emailVerified: try row.bool("email_verified"),
            profile: try row.json("profile", as: UserProfile.self),
            roles: try row.json("roles", as: [String].self),
            status: User.Status(rawValue: try row.string("status")) ?? .disabled,
            passwordHash: row.optionalString("password_hash"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"),
            deletedAt: row.optionalDate("deleted_at")
        )
    }

    // MARK: Sign-in throttling

    public func recordFailure(key: String, tenant: TenantID, at date: Date) async throws {
        try await database.query(
            "INSERT INTO login_failures (id, tenant_id, throttle_key, failed_at) VALUES (?, ?, ?, ?)",
            .text(ULID.make(at: date)),
            .text(tenant.rawValue),
            .text(key),
            SQLValue(date)
        )
    }

    public func failures(key: String, tenant: TenantID, since date: Date) async throws -> Int {
        try Self.count(
            try await database.query(
                "SELECT COUNT(*) AS n FROM login_failures WHERE tenant_id = ? AND throttle_key = ? AND failed_at > ?",
                .text(tenant.rawValue),
                .text(key),
                SQLValue(date)
            )
        )
    }

    public func lock(key: String, tenant: TenantID, until date: Date) async throws {
        try await database.query(
            """
            INSERT INTO login_locks (tenant_id, throttle_key, locked_until) VALUES (?, ?, ?)
            ON CONFLICT (tenant_id, throttle_key) DO UPDATE SET locked_until = excluded.locked_until
            """,
            .text(tenant.rawValue),
            .text(key),
            SQLValue(date)
        )
    }

    public func lockedUntil(key: String, tenant: TenantID) async throws -> Date? {
        try await database.query(
            "SELECT locked_until FROM login_locks WHERE tenant_id = ? AND throttle_key = ?",
            .text(tenant.rawValue),
            .text(key)
        ).first?.optionalDate("locked_until")
    }

    public func clearFailures(key: String, tenant: TenantID) async throws {
        try await database.query(
            "DELETE FROM login_failures WHERE tenant_id = ? AND throttle_key = ?",
            .text(tenant.rawValue),
            .text(key)
        )
    }
}
