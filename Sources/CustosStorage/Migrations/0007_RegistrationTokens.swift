/// Initial access tokens for dynamic registration (RFC 7591 §3), each with the policy it
/// grants; the token itself is kept only as its SHA-256 digest. `uses` is raised by one
/// conditional UPDATE, so `max_uses` holds across nodes sharing the database.
///
/// The two client columns belong to the same step, the registration policy of a client
/// (rules 1 and 17): `first_party` (set by an administrator only) and `require_pkce`.
enum Migration0007RegistrationTokens {
    static let migration = Migration(
        id: 7,
        name: "registration_tokens",
        statements: [
            """
            CREATE TABLE registration_tokens (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                digest TEXT NOT NULL,
                scopes TEXT NOT NULL,
                grant_types TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                max_uses BIGINT,
                uses BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX registration_tokens_digest ON registration_tokens (digest)",
            "CREATE INDEX registration_tokens_tenant ON registration_tokens (tenant_id, created_at)",
            "ALTER TABLE oauth_clients ADD COLUMN first_party BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE oauth_clients ADD COLUMN require_pkce BIGINT NOT NULL DEFAULT 1",
        ]
    )
}
