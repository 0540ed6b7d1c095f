/// A token's audience, sender binding (`cnf`) and actor (`act`), as one JSON object
/// (`TokenAttributes`), so that a further claim needs no migration. Rows stored before this
/// step read as `{}`: audience the issuer, unbound, no actor — exactly what they were issued as.
enum Migration0008TokenAttributes {
    static let migration = Migration(
        id: 8,
        name: "token_attributes",
        statements: [
            "ALTER TABLE oauth_tokens ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}'"
        ]
    )
}
