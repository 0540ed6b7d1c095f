import Foundation

/// A user's approval that a client may have a set of scopes. One record per user and client;
/// a later approval widens its scopes. Withdrawn consents keep their record with `revokedAt`.
public struct Consent: Sendable, Equatable {
    public var id: String
    public var tenant: TenantID
    public var userID: String
    public var clientID: String
    public var scopes: [String]
    /// Individual claims the user approved beyond those of `scopes` (asked for with the
    /// `claims` parameter, OpenID Connect Core §5.5).
    public var claims: [String]
    public var createdAt: Date
    public var updatedAt: Date
    public var revokedAt: Date?

    public init(
        id: String,
        tenant: TenantID,
        userID: String,
        clientID: String,
        scopes: [String],
        claims: [String] = [],
        createdAt: Date,
        updatedAt: Date,
        revokedAt: Date? = nil
    ) {
        self.claims = claims
        self.id = id
        self.tenant = tenant
        self.userID = userID
        self.clientID = clientID
        self.scopes = scopes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revokedAt = revokedAt
    }

    /// Whether this consent already covers every scope in `requested` and every user claim in
    /// `claims`: a claim is covered by its own approval or by the approval of its scope.
    public func covers(_ requested: [String], claims requestedClaims: Set<String> = []) -> Bool {
        guard revokedAt == nil, Set(requested).isSubset(of: scopes) else { return false }
        let approved = Set(claims).union(scopes.flatMap { ClaimsProvider.claimsByScope[$0] ?? [] })
        return requestedClaims.isSubset(of: approved)
    }
}
