import Foundation

/// A signed-in browser. The cookie holds a random 256-bit value; the database holds only its
/// SHA-256, so a copy of the database cannot be replayed as cookies.
public struct BrowserSession: Sendable, Equatable {
    public var id: String
    public var tenant: TenantID
    public var digest: String
    public var userID: String
    /// When the user last proved who they are (OpenID Connect `auth_time`).
    public var authTime: Date
    /// Authentication methods used (RFC 8176), e.g. `["pwd"]`.
    public var amr: [String]
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date

    public init(
        id: String,
        tenant: TenantID,
        digest: String,
        userID: String,
        authTime: Date,
        amr: [String],
        createdAt: Date,
        lastSeenAt: Date,
        expiresAt: Date
    ) {
        self.id = id
        self.tenant = tenant
        self.digest = digest
        self.userID = userID
        self.authTime = authTime
        self.amr = amr
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }
}
