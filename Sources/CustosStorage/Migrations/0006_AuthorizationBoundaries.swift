/// Server-side state of authorization requests waiting for the user (so that nothing the
/// browser can edit says "signed in" or "consented"), the claims a consent covers, and the
/// browser session a token was issued in (first-party account tokens act on it).
enum Migration0006AuthorizationBoundaries {
    static let migration = Migration(
        id: 6,
        name: "authorization_boundaries",
        statements: [
            """
            CREATE TABLE pending_authorizations (
                digest TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                parameters TEXT NOT NULL,
                session_id_at_start TEXT,
                decision TEXT,
                decided_in_session_id TEXT,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX pending_authorizations_expires_at ON pending_authorizations (expires_at)",
            "ALTER TABLE consents ADD COLUMN claims TEXT",
            "ALTER TABLE oauth_tokens ADD COLUMN session_id TEXT",
        ]
    )
}
