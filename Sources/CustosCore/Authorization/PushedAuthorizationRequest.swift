import Foundation

/// An authorization request a client pushed to the PAR endpoint (RFC 9126 §2), kept until it
/// is used once at `/oauth/authorize` or expires. The client holds the `request_uri`; only its
/// digest is stored (`OpaqueToken.digest`), so a database reader cannot replay one.
public struct PushedAuthorizationRequest: Sendable, Equatable {
    /// The digest of the `request_uri` (the whole `urn:ietf:params:oauth:request_uri:…` value).
    public var digest: String
    public var tenant: TenantID
    /// The client that pushed it: §2.2 binds the request_uri to that client.
    public var clientID: String
    /// The authorization parameters as validated at push time (a pushed request object
    /// already resolved into them); at `/oauth/authorize` only these count (§4).
    public var parameters: [String: String]
    public var createdAt: Date
    public var expiresAt: Date
    /// When it was used at the authorization endpoint; nil while unused.
    public var consumedAt: Date?

    public init(
        digest: String,
        tenant: TenantID,
        clientID: String,
        parameters: [String: String],
        createdAt: Date,
        expiresAt: Date,
        consumedAt: Date? = nil
    ) {
        self.digest = digest
        self.tenant = tenant
        self.clientID = clientID
        self.parameters = parameters
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.consumedAt = consumedAt
    }
}
