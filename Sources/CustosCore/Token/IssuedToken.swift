import Foundation

/// The server's record of a token it handed out: enough to list, count and revoke it. A JWT
/// access token is found by its `jti`; an opaque token by the digest of its value.
public struct IssuedToken: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
    }

    public var id: String
    public var tenant: TenantID
    public var clientRecordID: String
    public var clientID: String
    public var userID: String?
    public var grantID: String?
    public var kind: Kind
    public var digest: String?
    public var scope: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    /// When a rotated refresh token was exchanged for its successor.
    public var consumedAt: Date?
    /// Claims the `claims` parameter asked for at UserInfo, besides the scopes' ones.
    public var requestedClaims: Set<String>?
    /// The browser session the user authorized this token's grant in (authorization code
    /// and the refreshes that follow); nil for tokens without a user or a session.
    public var sessionID: String?
    /// Audience, binding and actor (one JSON column; see `TokenAttributes`).
    public var attributes: TokenAttributes

    public init(
        id: String,
        tenant: TenantID,
        clientRecordID: String,
        clientID: String,
        userID: String? = nil,
        grantID: String? = nil,
        kind: Kind,
        digest: String? = nil,
        scope: String,
        createdAt: Date,
        expiresAt: Date,
        revokedAt: Date? = nil,
        consumedAt: Date? = nil,
        requestedClaims: Set<String>? = nil,
        sessionID: String? = nil,
        attributes: TokenAttributes = TokenAttributes()
    ) {
        self.sessionID = sessionID
        self.attributes = attributes
        self.id = id
        self.tenant = tenant
        self.clientRecordID = clientRecordID
        self.clientID = clientID
        self.userID = userID
        self.grantID = grantID
        self.kind = kind
        self.digest = digest
        self.scope = scope
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.consumedAt = consumedAt
        self.requestedClaims = requestedClaims
    }

    /// Valid until it expires or until its revocation takes effect (revocation may be
    /// scheduled in the future by a grace period).
    public func isActive(at now: Date) -> Bool {
        now < expiresAt && (revokedAt.map { now < $0 } ?? true)
    }
}

public struct RevocationCounts: Sendable, Equatable {
    public var accessTokens: Int
    public var refreshTokens: Int
    public init(accessTokens: Int = 0, refreshTokens: Int = 0) {
        self.accessTokens = accessTokens
        self.refreshTokens = refreshTokens
    }
}

public struct ClientTokenStatistics: Sendable, Equatable {
    public var activeAccessTokens: Int
    public var activeRefreshTokens: Int
    public var lastIssuedAt: Date?
    public init(activeAccessTokens: Int, activeRefreshTokens: Int, lastIssuedAt: Date?) {
        self.activeAccessTokens = activeAccessTokens
        self.activeRefreshTokens = activeRefreshTokens
        self.lastIssuedAt = lastIssuedAt
    }
}
