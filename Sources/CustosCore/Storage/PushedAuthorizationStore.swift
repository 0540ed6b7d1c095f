import Foundation

/// Pushed authorization requests (RFC 9126), shared by every node.
public protocol PushedAuthorizationStore: Sendable {
    func insert(_ request: PushedAuthorizationRequest) async throws
    /// Marks the request with this digest used and returns it, only if it belongs to
    /// `clientID` in `tenant`, is unused, and has not expired at `now`. Atomic across nodes:
    /// of two callers racing for one request exactly one gets it (RFC 9126 §4: one-time use).
    /// nil for unknown, expired, used or another client's: the caller answers them alike.
    func consume(digest: String, clientID: String, tenant: TenantID, now: Date) async throws -> PushedAuthorizationRequest?
}
