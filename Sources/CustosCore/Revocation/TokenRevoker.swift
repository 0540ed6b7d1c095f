/// Token revocation (RFC 7009). Revoking a refresh token revokes its whole grant — every
/// access token issued with it (§2.1); revoking an access token revokes that token. A token
/// the server does not know, or one issued to another client, changes nothing and the answer
/// is the same success, so revocation discloses nothing about other clients' tokens (our pin
/// for security case J3). The call returns only after the revocation is stored.
public struct TokenRevoker: Sendable {
    private let introspector: TokenIntrospector
    private let tokens: any TokenStore
    private let tenant: TenantID
    private let clock: any WallClock

    public init(introspector: TokenIntrospector, tokens: any TokenStore, tenant: TenantID, clock: any WallClock) {
        self.introspector = introspector
        self.tokens = tokens
        self.tenant = tenant
        self.clock = clock
    }

    public func revoke(_ token: String, by client: AuthenticatedClient) async throws {
        guard let record = try await introspector.record(of: token), record.clientID == client.client.clientID else { return }
        let now = clock.now
        if record.kind == .refreshToken, let grantID = record.grantID {
            try await tokens.revokeGrant(grantID, tenant: tenant, at: now)
        } else {
            try await tokens.revokeToken(id: record.id, tenant: tenant, at: now)
        }
    }
}
