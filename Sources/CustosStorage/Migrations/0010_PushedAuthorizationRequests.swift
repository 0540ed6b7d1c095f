/// Pushed authorization requests (RFC 9126), keyed by the digest of their `request_uri`.
/// `consumed_at` is set by the one conditional UPDATE that uses a request, so single use holds
/// across nodes sharing the database; rows are swept after `expires_at` by the next insert.
enum Migration0010PushedAuthorizationRequests {
    static let migration = Migration(
        id: 10,
        name: "pushed_authorization_requests",
        statements: [
            """
            CREATE TABLE pushed_authorization_requests (
                digest TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                client_id TEXT NOT NULL,
                parameters TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                consumed_at BIGINT
            )
            """,
            "CREATE INDEX pushed_authorization_requests_expires_at ON pushed_authorization_requests (expires_at)",
        ]
    )
}
