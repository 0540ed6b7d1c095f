import Foundation

/// RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6) and the pinned replay rules.
///
/// Every check runs before the code is consumed, so a request with a wrong verifier, client
/// or redirect URI changes nothing (pinned rule 2). The code is then consumed and the tokens
/// stored in one transaction: of concurrent redemptions exactly one wins. A later valid
/// redemption of a consumed code is an attack or a leak (RFC 6749 §4.1.2): it fails and
/// revokes every token issued from the first.
public struct AuthorizationCodeGrant: GrantHandler {
    public static let grantType = GrantType.authorizationCode
    public static let parameters: Set<String> = ["code", "redirect_uri", "code_verifier", "authorization_details"]

    let issuer: TokenIssuer
    let idTokens: IDTokenBuilder
    let codes: any AuthorizationCodeStore
    let tokens: any TokenStore
    let users: any UserStore
    let clock: any WallClock
    let tenant: TenantID

    public init(
        issuer: TokenIssuer,
        idTokens: IDTokenBuilder,
        codes: any AuthorizationCodeStore,
        tokens: any TokenStore,
        users: any UserStore,
        clock: any WallClock,
        tenant: TenantID
    ) {
        self.issuer = issuer
        self.idTokens = idTokens
        self.users = users
        self.codes = codes
        self.tokens = tokens
        self.clock = clock
        self.tenant = tenant
    }

    public func handle(_ request: TokenRequest, context: GrantContext) async throws -> TokenResponse {
        let client = context.client
        guard let value = request["code"] else { throw OAuthError.invalidRequest("code is required") }
        if let verifier = request["code_verifier"], !PKCE.isValidVerifier(verifier) {
            throw OAuthError.invalidRequest("code_verifier must be 43 to 128 unreserved characters")
        }
        // One answer for unknown, expired, foreign and consumed codes (RFC 6819 §4.4.1.3).
        let invalid = OAuthError(.invalidGrant, "the authorization code is invalid or has expired")
        let now = clock.now
        guard value.utf8.count <= 128, let code = try await codes.code(digest: OpaqueToken.digest(value), tenant: tenant),
            code.clientID == client.client.clientID, code.expiresAt > now
        else { throw invalid }
        // RFC 6749 §4.1.3: redirect_uri must be repeated, identically, when the request had it.
        guard code.redirectURI == request["redirect_uri"] || (code.redirectURI == nil && request["redirect_uri"] == nil) else {
            throw invalid
        }
        // Pinned rule 1: a code bound to a challenge needs its verifier; a code without one
        // (a client allowed to omit PKCE, rule 17) accepts no verifier at all, so that a
        // verifier cannot pass for proof it never had to give.
        if let challenge = code.codeChallenge {
            guard let verifier = request["code_verifier"], PKCE.verify(verifier: verifier, challenge: challenge) else {
                throw invalid
            }
        } else if request["code_verifier"] != nil {
            throw OAuthError(.invalidGrant, "code_verifier was sent but the authorization request had no code_challenge")
        }
        // RFC 9449 §10: a code bound to a DPoP key (`dpop_jkt`) is redeemed only with a proof
        // by that key; checked before the code is consumed, so a wrong key changes nothing.
        if let bound = code.dpopJKT, context.confirmation != .jkt(bound) {
            throw OAuthError(.invalidGrant, "the authorization code is bound to another DPoP key")
        }
        // RFC 9396 §6, §6.1: the request may narrow the approved details, never widen them;
        // checked before the code is consumed, so a refused request changes nothing.
        let details = try AuthorizationDetails.narrowed(
            request["authorization_details"],
            granted: code.authorizationDetails,
            client: client.client
        )
        guard let user = try await users.user(id: code.userID, tenant: tenant), user.status == .active else { throw invalid }
        var minted = try issuer.mint(
            context.issuance(
                subject: idTokens.subjects.subject(for: code.userID, client: client.client),
                userID: code.userID,
                user: user,
                scopes: code.scopes,
                grantID: code.grantID,
                includeRefreshToken: client.client.grantTypes.contains(.refreshToken),
                authorizationDetails: details
            )
        )
        // The refresh token holds everything the user approved, so that a refresh may ask
        // again for what this access token was narrowed from (as it holds the whole scope).
        for index in minted.records.indices where minted.records[index].kind == .refreshToken {
            minted.records[index].attributes.authorizationDetails = code.authorizationDetails
        }
        // OpenID Connect Core §3.1.3.3: an ID token whenever `openid` was granted.
        if code.scopes.contains("openid") {
            minted.response.idToken = try idTokens.build(
                for: client.client,
                authentication: IDTokenBuilder.Authentication(
                    user: user,
                    nonce: code.nonce,
                    authTime: code.authTime,
                    amr: code.amr,
                    sessionID: code.sessionID,
                    acr: code.acr
                ),
                accessToken: minted.response.accessToken,
                scopes: code.scopes,
                requestedClaims: code.claims?.idToken ?? [],
                at: now
            )
        }
        // The tokens remember the browser session they were authorized in (a first-party
        // app's account token acts on that session and no other).
        for index in minted.records.indices { minted.records[index].sessionID = code.sessionID }
        if let userinfoClaims = code.claims?.userinfo, !userinfoClaims.isEmpty {
            for index in minted.records.indices { minted.records[index].requestedClaims = userinfoClaims }
        }
        guard try await codes.redeem(digest: code.digest, tenant: tenant, at: now, tokens: minted.records) else {
            try await tokens.revokeGrant(code.grantID, tenant: tenant, at: now)
            throw invalid
        }
        return minted.response
    }
}
