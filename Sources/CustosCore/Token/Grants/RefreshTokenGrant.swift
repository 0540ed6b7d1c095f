import Foundation

/// RFC 6749 §6 with OAuth 2.1 §4.3 and pinned rule 3.
///
/// Public clients get rotation with reuse detection: each use consumes the token and yields a
/// new one; presenting a consumed token revokes the whole grant (RFC 9700 §4.14.2).
/// Confidential clients keep one stable refresh token, so that a retry after a lost response
/// still works; the response then carries no new refresh token. Narrower scopes may be
/// asked for; wider ones are refused, and any new refresh token keeps the original scope —
/// less whatever the client may no longer have today (an administrator removed a scope from
/// the client: RFC 6749 §6, the new tokens cannot exceed what the client may be granted).
///
/// A refresh for a user who is no longer active (disabled, locked, deleted) is `invalid_grant`.
/// The tokens are stored by `TokenStore.rotateRefreshToken`/`recordRefresh`, which re-check the
/// refresh token and the user under the locks revocations take: a revocation that answered
/// while this request was in flight wins, and nothing is stored.
public struct RefreshTokenGrant: GrantHandler {
    public static let grantType = GrantType.refreshToken
    public static let parameters: Set<String> = ["refresh_token", "scope", "authorization_details"]

    let issuer: TokenIssuer
    let subjects: SubjectIdentifier
    let tokens: any TokenStore
    let users: any UserStore
    let clock: any WallClock
    let tenant: TenantID

    public init(
        issuer: TokenIssuer,
        subjects: SubjectIdentifier,
        tokens: any TokenStore,
        users: any UserStore,
        clock: any WallClock,
        tenant: TenantID
    ) {
        self.issuer = issuer
        self.subjects = subjects
        self.tokens = tokens
        self.users = users
        self.clock = clock
        self.tenant = tenant
    }

    public func handle(_ request: TokenRequest, context: GrantContext) async throws -> TokenResponse {
        let client = context.client
        guard let value = request["refresh_token"] else { throw OAuthError.invalidRequest("refresh_token is required") }
        let invalid = OAuthError(.invalidGrant, "the refresh token is invalid, expired or revoked")
        let now = clock.now
        guard value.hasPrefix(OpaqueToken.Kind.refreshToken.prefix), value.utf8.count <= 128,
            let stored = try await tokens.token(digest: OpaqueToken.digest(value), tenant: tenant), stored.kind == .refreshToken,
            stored.clientID == client.client.clientID, let grantID = stored.grantID
        else { throw invalid }
        let rotates = !client.client.isConfidential
        if rotates, stored.consumedAt != nil {
            try await tokens.revokeGrant(grantID, tenant: tenant, at: now)
            throw invalid
        }
        guard stored.isActive(at: now) else { throw invalid }
        // A bound refresh token is used only with what it is bound to, and its successors keep
        // that binding (RFC 9449 §5: the proof's key must match; RFC 8705 §4: the same
        // certificate). An unbound one (a confidential client's, see `TokenIssuer.mint`) lets
        // this request's binding, if any, bind the new access token.
        if let bound = stored.attributes.confirmation {
            guard context.confirmation == bound else { throw invalid }
        }
        var user: User?
        if let userID = stored.userID {
            guard let found = try await users.user(id: userID, tenant: tenant), found.status == .active else { throw invalid }
            user = found
        }
        // What the grant still covers: its scope, less any scope the client may no longer have.
        let clientScopes = Set(client.client.scopes)
        let granted = stored.scope.split(separator: " ").map(String.init).filter(clientScopes.contains)
        let scopes = try ScopeRequest.resolve(request["scope"], allowed: granted)
        // RFC 9396 §6: as with scope, a refresh narrows the grant's authorization details and
        // never widens them; types the client no longer has registered are dropped.
        let grantedDetails = stored.attributes.authorizationDetails?.restricted(to: client.client)
        let details = try AuthorizationDetails.narrowed(request["authorization_details"], granted: grantedDetails, client: client.client)
        let subject = stored.userID.map { subjects.subject(for: $0, client: client.client) } ?? client.client.clientID
        // The grant's audience and actor stay with it (absent on tokens stored before attributes: the issuer).
        var minted = try issuer.mint(
            context.issuance(
                subject: subject,
                userID: stored.userID,
                user: user,
                scopes: scopes,
                grantID: grantID,
                includeRefreshToken: rotates,
                audience: stored.attributes.audience,
                actor: stored.attributes.actor,
                authorizationDetails: details
            ),
            refreshTokenExpiresAt: stored.expiresAt
        )
        // Claims asked for at UserInfo (the claims parameter) stay with the grant.
        for index in minted.records.indices {
            minted.records[index].requestedClaims = stored.requestedClaims
            minted.records[index].sessionID = stored.sessionID
        }
        if rotates {
            // The successor keeps the grant's scope (as narrowed above) and absolute expiry.
            if let index = minted.records.firstIndex(where: { $0.kind == .refreshToken }) {
                minted.records[index].scope = granted.joined(separator: " ")
                minted.records[index].attributes.authorizationDetails = grantedDetails
            }
            guard try await tokens.rotateRefreshToken(id: stored.id, tenant: tenant, at: now, replacements: minted.records) else {
                // Lost a race with another use of the same token (reuse too), or with a
                // revocation: either way the grant ends here.
                try await tokens.revokeGrant(grantID, tenant: tenant, at: now)
                throw invalid
            }
        } else {
            guard try await tokens.recordRefresh(of: stored.id, tenant: tenant, at: now, tokens: minted.records) else { throw invalid }
        }
        return minted.response
    }
}
