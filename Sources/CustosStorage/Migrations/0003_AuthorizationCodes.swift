/// Authorization codes, the replay cache for single-use values, refresh-token rotation
/// (`consumed_at`), each client's access-token format, and sealed secrets for client_secret_jwt.
enum Migration0003AuthorizationCodes {
    static let migration = Migration(
        id: 3,
        name: "authorization_codes",
        statements: [
            """
            CREATE TABLE authorization_codes (
                digest TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                grant_id TEXT NOT NULL,
                redirect_uri TEXT,
                scopes TEXT NOT NULL,
                code_challenge TEXT NOT NULL,
                nonce TEXT,
                auth_time BIGINT NOT NULL,
                session_id TEXT NOT NULL,
                amr TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                consumed_at BIGINT
            )
            """,
            "CREATE INDEX authorization_codes_expiry ON authorization_codes (expires_at)",
            """
            CREATE TABLE replay_cache (
                tenant_id TEXT NOT NULL,
                cache_key TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, cache_key)
            )
            """,
            "ALTER TABLE oauth_tokens ADD COLUMN consumed_at BIGINT",
            "ALTER TABLE oauth_client_secrets ADD COLUMN sealed_value TEXT",
            "ALTER TABLE oauth_clients ADD COLUMN access_token_format TEXT NOT NULL DEFAULT 'jwt'",
        ]
    )
}
