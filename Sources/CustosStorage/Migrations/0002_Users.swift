/// Users, sign-in throttling, browser sessions and consents. Uniqueness of usernames and
/// emails ignores case (lowercased key columns) and deleted users (partial indexes).
enum Migration0002Users {
    static let migration = Migration(
        id: 2,
        name: "users",
        statements: [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                username TEXT NOT NULL,
                username_key TEXT NOT NULL,
                email TEXT NOT NULL,
                email_key TEXT NOT NULL,
                email_verified BIGINT NOT NULL,
                profile TEXT NOT NULL,
                roles TEXT NOT NULL,
                status TEXT NOT NULL,
                password_hash TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                deleted_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX users_username ON users (tenant_id, username_key) WHERE deleted_at IS NULL",
            "CREATE UNIQUE INDEX users_email ON users (tenant_id, email_key) WHERE deleted_at IS NULL",
            "CREATE INDEX users_listing ON users (tenant_id, deleted_at, created_at)",
            """
            CREATE TABLE login_failures (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                throttle_key TEXT NOT NULL,
                failed_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX login_failures_key ON login_failures (tenant_id, throttle_key, failed_at)",
            """
            CREATE TABLE login_locks (
                tenant_id TEXT NOT NULL,
                throttle_key TEXT NOT NULL,
                locked_until BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, throttle_key)
            )
            """,
            """
            CREATE TABLE browser_sessions (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                digest TEXT NOT NULL,
                user_id TEXT NOT NULL,
                auth_time BIGINT NOT NULL,
                amr TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX browser_sessions_digest ON browser_sessions (digest)",
            "CREATE INDEX browser_sessions_user ON browser_sessions (tenant_id, user_id)",
            """
            CREATE TABLE consents (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                scopes TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX consents_active ON consents (tenant_id, user_id, client_id) WHERE revoked_at IS NULL",
            "CREATE INDEX oauth_tokens_user_client ON oauth_tokens (user_id, client_id)",
        ]
    )
}
