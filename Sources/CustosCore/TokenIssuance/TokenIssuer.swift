import Foundation

/// Mints tokens; shared by every grant. It signs and builds records but stores nothing: each
/// grant stores the records together with its own state change (code consumed, refresh token
/// rotated) in one transaction, so a token exists only if that change happened.
///
/// No token is minted on behalf of a user who is not active: a grant for a user carries the
/// user record its handler just loaded, and `mint` refuses any other (`invalid_grant`).
public struct TokenIssuer: Sendable {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    let configuration: ServerConfiguration
    let keys: SigningKeySet
    let tokens: any TokenStore
    let users: any UserStore
    let clock: any WallClock

    public init(configuration: ServerConfiguration, keys: SigningKeySet, tokens: any TokenStore, users: any UserStore, clock: any WallClock) {
        self.configuration = configuration
        self.keys = keys
        self.tokens = tokens
        self.users = users
        self.clock = clock
    }

    /// What a grant asks for. Grants build it through `GrantContext.issuance`, which carries the
    /// request's binding.
    public struct Grant: Sendable {
        public var client: OAuthClient
        public var subject: String
        public var userID: String?
        /// The record of user `userID`, as loaded for this request; required when `userID` is set.
        public var user: User?
        public var scopes: [String]
        public var grantID: String
        public var includeRefreshToken: Bool
        /// What the tokens are bound to (`cnf`); nil for bearer tokens.
        public var confirmation: Confirmation?
        /// The `aud` of the access token; empty means the issuer (every token so far).
        public var audience: [String]
        /// RFC 8693 §4.1: who acts on the subject's behalf; nil when the subject acts itself.
        public var actor: TokenAttributes.Actor?
        /// RFC 9396: the authorization details the access token grants (and the refresh
        /// token, unless the grant sets its own on the record).
        public var authorizationDetails: AuthorizationDetails?

        public init(
            client: OAuthClient,
            subject: String,
            userID: String?,
            user: User? = nil,
            scopes: [String],
            grantID: String,
            includeRefreshToken: Bool,
            confirmation: Confirmation? = nil,
            audience: [String] = [],
            actor: TokenAttributes.Actor? = nil,
            authorizationDetails: AuthorizationDetails? = nil
        ) {
            self.authorizationDetails = authorizationDetails
            self.confirmation = confirmation
            self.audience = audience
            self.actor = actor
            self.client = client
            self.subject = subject
            self.userID = userID
            self.user = user
            self.scopes = scopes
            self.grantID = grantID
            self.includeRefreshToken = includeRefreshToken
        }
    }

    public struct Minted: Sendable {
        public var response: TokenResponse
        public var records: [IssuedToken]
    }

    public func mint(_ grant: Grant, refreshTokenExpiresAt: Date? = nil) throws -> Minted {
        if let userID = grant.userID {
            guard let user = grant.user, user.id == userID, user.status == .active, user.deletedAt == nil else {
                throw OAuthError(.invalidGrant, "the user is not active")
            }
        }
        let now = clock.now
        let issuedAt = Int64(now.timeIntervalSince1970)
        let lifetime = Int(configuration.accessTokenLifetime)
        let jti = ULID.make(at: now)
        let scope = grant.scopes.isEmpty ? nil : grant.scopes.joined(separator: " ")
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(issuedAt + Int64(lifetime)))
        let attributes = TokenAttributes(
            audience: grant.audience.isEmpty ? [configuration.issuer] : grant.audience,
            confirmation: grant.confirmation,
            actor: grant.actor,
            authorizationDetails: grant.authorizationDetails
        )
        var accessToken: String
        var accessDigest: String?
        switch grant.client.accessTokenFormat {
        case .jwt:
            let claims = AccessTokenClaims(
                iss: configuration.issuer,
                sub: grant.subject,
                aud: Audience(attributes.audience),
                exp: issuedAt + Int64(lifetime),
                iat: issuedAt,
                jti: jti,
                clientID: grant.client.clientID,
                scope: scope,
                cnf: attributes.confirmation,
                act: attributes.actor,
                authorizationDetails: attributes.authorizationDetails
            )
            accessToken = try JWSCompact.sign(payload: try Self.encoder.encode(claims), type: "at+jwt", key: keys.signer)
        case .opaque:
            accessToken = OpaqueToken.make(.accessToken)
            accessDigest = OpaqueToken.digest(accessToken)
        }
        var records = [
            IssuedToken(
                id: jti,
                tenant: grant.client.tenant,
                clientRecordID: grant.client.id,
                clientID: grant.client.clientID,
                userID: grant.userID,
                grantID: grant.grantID,
                kind: .accessToken,
                digest: accessDigest,
                scope: scope ?? "",
                createdAt: now,
                expiresAt: expiresAt,
                attributes: attributes
            )
        ]
        // A refresh token is bound only for a public client (RFC 9449 §5, RFC 8705 §4): a
        // confidential client's refresh token is already bound to the client by its
        // authentication, and each refresh binds the new access token to that request's proof.
        var refreshAttributes = attributes
        if grant.client.isConfidential { refreshAttributes.confirmation = nil }
        var refreshToken: String?
        if grant.includeRefreshToken {
            let value = OpaqueToken.make(.refreshToken)
            refreshToken = value
            records.append(
                IssuedToken(
                    id: ULID.make(at: now),
                    tenant: grant.client.tenant,
                    clientRecordID: grant.client.id,
                    clientID: grant.client.clientID,
                    userID: grant.userID,
                    grantID: grant.grantID,
                    kind: .refreshToken,
                    digest: OpaqueToken.digest(value),
                    scope: scope ?? "",
                    createdAt: now,
                    expiresAt: refreshTokenExpiresAt ?? now.addingTimeInterval(configuration.refreshTokenLifetime),
                    attributes: refreshAttributes
                )
            )
        }
        return Minted(
            response: TokenResponse(
                accessToken: accessToken,
                tokenType: attributes.tokenType,
                expiresIn: lifetime,
                scope: scope,
                refreshToken: refreshToken,
                authorizationDetails: attributes.authorizationDetails
            ),
            records: records
        )
    }

    /// Mints and stores at once, for grants with no state of their own (client credentials).
    public func issue(_ grant: Grant) async throws -> TokenResponse {
        var grant = grant
        if let userID = grant.userID, grant.user == nil {
            grant.user = try await users.user(id: userID, tenant: grant.client.tenant)
        }
        let minted = try mint(grant)
        try await tokens.record(minted.records)
        return minted.response
    }

    /// A single unbound access token for a client or on a user's behalf (for tests and tools;
    /// grants issue through `GrantContext.issuance`, which carries the request's binding).
    public func issueAccessToken(
        for client: OAuthClient,
        subject: String,
        userID: String?,
        scopes: [String]
    ) async throws
        -> TokenResponse
    {
        try await issue(
            Grant(client: client, subject: subject, userID: userID, scopes: scopes, grantID: ULID.make(at: clock.now), includeRefreshToken: false)
        )
    }
}
