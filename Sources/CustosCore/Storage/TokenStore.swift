import Foundation

/// The record of every token handed out. `record` must be durable before the token is
/// returned, so that a token a client holds is always one that can be revoked.
public protocol TokenStore: Sendable {
    func record(_ token: IssuedToken) async throws
    func token(id: String, tenant: TenantID) async throws -> IssuedToken?
    /// Tokens of the client still active at `date`, newest first.
    func activeTokens(clientRecordID: String, tenant: TenantID, at date: Date, page: PageRequest) async throws
        -> Page<IssuedToken>
    /// Revokes the client's active tokens with effect from `effectiveAt` (now, or later for a
    /// grace period), writing `audit` in the same transaction.
    func revokeAll(clientRecordID: String, tenant: TenantID, effectiveAt: Date, now: Date, audit: AuditEvent) async throws
        -> RevocationCounts
    func revokeAll(userID: String, tenant: TenantID, at date: Date, audit: AuditEvent) async throws -> RevocationCounts
    func statistics(clientRecordID: String, tenant: TenantID, at date: Date) async throws -> ClientTokenStatistics
}
