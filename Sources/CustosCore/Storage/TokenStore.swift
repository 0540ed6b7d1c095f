import Foundation

/// The record of every token handed out. `record` must be durable before the token is
/// returned, so that a token a client holds is always one that can be revoked.
public protocol TokenStore: Sendable {
    /// Stores the tokens of one issuance atomically.
    func record(_ tokens: [IssuedToken]) async throws
    func token(id: String, tenant: TenantID) async throws -> IssuedToken?
    /// An opaque token by the SHA-256 of its value.
    func token(digest: String, tenant: TenantID) async throws -> IssuedToken?
    /// Revokes every token of a grant (RFC 7009 §2.1: revoking a refresh token reaches the
    /// access tokens issued with it).
    func revokeGrant(_ grantID: String, tenant: TenantID, at date: Date) async throws
    func revokeToken(id: String, tenant: TenantID, at date: Date) async throws
    /// Marks refresh token `id` used and stores its replacements, in one transaction; false,
    /// storing nothing, when it was used already (reuse), or is no longer usable (see `recordRefresh`).
    func rotateRefreshToken(id: String, tenant: TenantID, at date: Date, replacements: [IssuedToken]) async throws -> Bool
    /// Stores the tokens of a refresh with refresh token `id` (which stays usable), in one
    /// transaction that re-reads the refresh token under the locks every revocation takes:
    /// false, storing nothing, when by then the token is revoked, spent or expired, or its user
    /// is no longer active. Revocation wins races: once a revocation has answered, no token
    /// stored by a refresh that was in flight is active.
    func recordRefresh(of id: String, tenant: TenantID, at date: Date, tokens: [IssuedToken]) async throws -> Bool
    /// Tokens of the client still active at `date`, newest first.
    func activeTokens(
        clientRecordID: String,
        tenant: TenantID,
        at date: Date,
        page: PageRequest
    ) async throws
        -> Page<IssuedToken>
    /// Revokes the client's active tokens with effect from `effectiveAt` (now, or later for a
    /// grace period), writing `audit` in the same transaction.
    func revokeAll(
        clientRecordID: String,
        tenant: TenantID,
        effectiveAt: Date,
        now: Date,
        audit: AuditEvent
    ) async throws
        -> RevocationCounts
    func revokeAll(userID: String, tenant: TenantID, at date: Date, audit: AuditEvent) async throws -> RevocationCounts
    func statistics(clientRecordID: String, tenant: TenantID, at date: Date) async throws -> ClientTokenStatistics
}

extension TokenStore {
    public func record(_ token: IssuedToken) async throws {
        try await record([token])
    }
}
