import Foundation

/// An issued authorization code as stored: the code itself only as its SHA-256, with
/// everything the token request must match (client, redirect URI, PKCE challenge) and
/// everything the tokens will carry (user, scopes, authentication facts).
public struct AuthorizationCode: Sendable, Equatable {
    public var digest: String
    public var tenant: TenantID
    public var clientID: String
    public var userID: String
    public var grantID: String
    /// nil when the authorization request did not carry `redirect_uri`.
    public var redirectURI: String?
    public var scopes: [String]
    /// nil when the client may omit PKCE and did (rule 17): then no verifier is accepted.
    public var codeChallenge: String?
    public var nonce: String?
    public var authTime: Date
    public var sessionID: String
    public var amr: [String]
    public var createdAt: Date
    public var expiresAt: Date
    public var consumedAt: Date?
    public var claims: ClaimsRequest?
    public var acr: String?
    /// RFC 9449 §10: the JWK thumbprint the token request's DPoP proof must be signed with
    /// (`dpop_jkt` at authorize or PAR); nil when the code is not bound to a key.
    public var dpopJKT: String?
    /// RFC 9396: the `authorization_details` the user approved; nil when none were asked for.
    public var authorizationDetails: AuthorizationDetails?

    public init(
        digest: String,
        tenant: TenantID,
        clientID: String,
        userID: String,
        grantID: String,
        redirectURI: String?,
        scopes: [String],
        codeChallenge: String?,
        nonce: String?,
        authTime: Date,
        sessionID: String,
        amr: [String],
        createdAt: Date,
        expiresAt: Date,
        consumedAt: Date? = nil,
        claims: ClaimsRequest? = nil,
        acr: String? = nil,
        dpopJKT: String? = nil,
        authorizationDetails: AuthorizationDetails? = nil
    ) {
        self.digest = digest
        self.tenant = tenant
        self.clientID = clientID
        self.userID = userID
        self.grantID = grantID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.codeChallenge = codeChallenge
        self.nonce = nonce
        self.authTime = authTime
        self.sessionID = sessionID
        self.amr = amr
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.consumedAt = consumedAt
        self.claims = claims
        self.acr = acr
        self.dpopJKT = dpopJKT
        self.authorizationDetails = authorizationDetails
    }
}
