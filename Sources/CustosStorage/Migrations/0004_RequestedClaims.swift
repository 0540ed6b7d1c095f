/// Claims asked for through the `claims` request parameter (OpenID Connect Core §5.5), kept
/// with the code and the tokens it yields so that UserInfo can release them.
enum Migration0004RequestedClaims {
    static let migration = Migration(
        id: 4,
        name: "requested_claims",
        statements: [
            "ALTER TABLE authorization_codes ADD COLUMN claims TEXT",
            "ALTER TABLE authorization_codes ADD COLUMN acr TEXT",
            "ALTER TABLE oauth_tokens ADD COLUMN claims TEXT",
        ]
    )
}
