/// RFC 9396: an authorization code carries the `authorization_details` the user approved, as
/// canonical JSON text. Nullable: codes stored before (and every code requested without
/// details) have none. Tokens keep theirs in the `attributes` document (migration 0008).
enum Migration0012AuthorizationCodeDetails {
    static let migration = Migration(
        id: 12,
        name: "authorization_code_details",
        statements: [
            "ALTER TABLE authorization_codes ADD COLUMN authorization_details TEXT"
        ]
    )
}
