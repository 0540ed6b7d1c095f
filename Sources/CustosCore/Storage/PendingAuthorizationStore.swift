import Foundation

/// Authorization requests waiting for a sign-in or a consent, shared by every node.
public protocol PendingAuthorizationStore: Sendable {
    func insert(_ pending: PendingAuthorization) async throws
    /// The pending request with this handle digest, unless it has expired at `now`.
    func pendingAuthorization(digest: String, tenant: TenantID, now: Date) async throws -> PendingAuthorization?
    /// Records the consent page's answer; false when the request is gone.
    func recordDecision(
        _ decision: PendingAuthorization.Decision,
        sessionID: String,
        digest: String,
        tenant: TenantID
    ) async throws -> Bool
    /// Ends a pending request (answered, or replaced); true for the one caller that ended it.
    func deletePendingAuthorization(digest: String, tenant: TenantID) async throws -> Bool
}
