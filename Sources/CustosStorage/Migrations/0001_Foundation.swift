/// Clients, their secrets, issued tokens, the audit log, signing keys and settings. Every
/// table carries `tenant_id`. Times are Unix milliseconds; lists are JSON text.
enum Migration0001Foundation {
    static let migration = Migration(
        id: 1,
        name: "foundation",
        statements: [
            """
            CREATE TABLE oauth_clients (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                name TEXT NOT NULL,
                is_confidential BIGINT NOT NULL,
                redirect_uris TEXT NOT NULL,
                grant_types TEXT NOT NULL,
                client_auth_methods TEXT NOT NULL,
                scopes TEXT NOT NULL,
                cors_origins TEXT NOT NULL,
                jwks TEXT,
                jwks_uri TEXT,
                logo_url TEXT,
                privacy_policy TEXT,
                terms_url TEXT,
                website TEXT,
                fapi_profile TEXT NOT NULL,
                status TEXT NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}',
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                deleted_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX oauth_clients_client_id ON oauth_clients (tenant_id, client_id)",
            "CREATE INDEX oauth_clients_listing ON oauth_clients (tenant_id, deleted_at, created_at)",
            """
            CREATE TABLE oauth_client_secrets (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                client_pk TEXT NOT NULL REFERENCES oauth_clients (id),
                digest TEXT NOT NULL,
                last_four TEXT NOT NULL,
                status TEXT NOT NULL,
                description TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                expires_at BIGINT,
                last_used_at BIGINT
            )
            """,
            "CREATE INDEX oauth_client_secrets_client ON oauth_client_secrets (client_pk)",
            """
            CREATE TABLE oauth_tokens (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                client_pk TEXT NOT NULL,
                client_id TEXT NOT NULL,
                user_id TEXT,
                grant_id TEXT,
                token_type TEXT NOT NULL,
                digest TEXT,
                scope TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX oauth_tokens_client ON oauth_tokens (client_pk, expires_at)",
            "CREATE INDEX oauth_tokens_user ON oauth_tokens (tenant_id, user_id)",
            "CREATE INDEX oauth_tokens_grant ON oauth_tokens (grant_id)",
            "CREATE UNIQUE INDEX oauth_tokens_digest ON oauth_tokens (digest)",
            """
            CREATE TABLE audit_logs (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                module TEXT NOT NULL,
                action TEXT NOT NULL,
                target_type TEXT NOT NULL,
                target_id TEXT NOT NULL,
                operator_type TEXT NOT NULL,
                operator_id TEXT NOT NULL,
                ip TEXT NOT NULL,
                level TEXT NOT NULL,
                status BIGINT NOT NULL,
                message TEXT NOT NULL,
                changed_fields TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX audit_logs_target ON audit_logs (tenant_id, target_id, created_at)",
            """
            CREATE TABLE signing_keys (
                kid TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                public_jwk TEXT NOT NULL,
                sealed_private_key TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                activates_at BIGINT NOT NULL,
                retires_at BIGINT
            )
            """,
            """
            CREATE TABLE custos_settings (
                tenant_id TEXT NOT NULL,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (tenant_id, name)
            )
            """,
        ]
    )
}
