/// A client just created, with its secret in the clear: the only moment it exists so.
public struct CreatedClient: Sendable {
    public let client: OAuthClient
    /// nil for clients that use no shared secret (public, private_key_jwt, mTLS).
    public let secret: String?
}

/// A secret just made, with its value in the clear for the one response that returns it.
public struct IssuedSecret: Sendable {
    public let record: ClientSecretRecord
    public let value: String
}
