import Foundation

/// Issues tokens; shared by every grant. An access token is an RFC 9068 JWT whose `jti` is
/// recorded before the token is returned, so every token a client holds can be revoked.
public struct TokenIssuer: Sendable {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    let configuration: ServerConfiguration
    let keys: SigningKeySet
    let tokens: any TokenStore
    let clock: any WallClock

    public init(configuration: ServerConfiguration, keys: SigningKeySet, tokens: any TokenStore, clock: any WallClock) {
        self.configuration = configuration
        self.keys = keys
        self.tokens = tokens
        self.clock = clock
    }

    public func issueAccessToken(for client: OAuthClient, subject: String, userID: String?, scopes: [String]) async throws
        -> TokenResponse
    {
        let now = clock.now
        let issuedAt = Int64(now.timeIntervalSince1970)
        let lifetime = Int(configuration.accessTokenLifetime)
        let jti = ULID.make(at: now)
        let scope = scopes.isEmpty ? nil : scopes.joined(separator: " ")
        let claims = AccessTokenClaims(
            iss: configuration.issuer, sub: subject, aud: Audience([configuration.issuer]), exp: issuedAt + Int64(lifetime),
            iat: issuedAt, jti: jti, clientID: client.clientID, scope: scope)
        let jwt = try JWSCompact.sign(payload: try Self.encoder.encode(claims), type: "at+jwt", key: keys.signer)
        try await tokens.record(
            IssuedToken(
                id: jti, tenant: client.tenant, clientRecordID: client.id, clientID: client.clientID, userID: userID,
                kind: .accessToken, scope: scope ?? "", createdAt: now,
                expiresAt: Date(timeIntervalSince1970: TimeInterval(claims.exp))))
        return TokenResponse(accessToken: jwt, expiresIn: lifetime, scope: scope)
    }
}
