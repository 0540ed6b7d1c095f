/// RFC 9449 §10: an authorization code may be bound to a DPoP key (`dpop_jkt`). Nullable:
/// codes stored before (and every code requested without `dpop_jkt`) are unbound.
enum Migration0011AuthorizationCodeDPoPKey {
    static let migration = Migration(
        id: 11,
        name: "authorization_code_dpop_key",
        statements: [
            "ALTER TABLE authorization_codes ADD COLUMN dpop_jkt TEXT"
        ]
    )
}
