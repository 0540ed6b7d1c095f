import Foundation

/// A user's approval that a client may have a set of scopes. One record per user and client;
/// a later approval widens its scopes. Withdrawn consents keep their record with `revokedAt`.
public struct Consent: Sendable, Equatable {
    public var id: String
    public var tenant: TenantID
    public var userID: String
    public var clientID: String
    public var scopes: [String]
    public var createdAt: Date
    public var updatedAt: Date
    public var revokedAt: Date?

    public init(
        id: String, tenant: TenantID, userID: String, clientID: String, scopes: [String], createdAt: Date, updatedAt: Date,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.userID = userID
        self.clientID = clientID
        self.scopes = scopes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revokedAt = revokedAt
    }

    /// Whether this consent already covers every scope in `requested`.
    public func covers(_ requested: [String]) -> Bool {
        revokedAt == nil && Set(requested).isSubset(of: scopes)
    }
}
