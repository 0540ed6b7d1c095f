import Foundation

/// Dynamic-registration initial access tokens with their policies (rule 3).
public protocol RegistrationTokenStore: Sendable {
    func insertRegistrationToken(_ token: RegistrationToken, audit: AuditEvent) async throws
    /// Newest first.
    func registrationTokens(tenant: TenantID, page: PageRequest) async throws -> Page<RegistrationToken>
    func registrationToken(digest: String, tenant: TenantID) async throws -> RegistrationToken?
    /// Counts one registration against the token in a single conditional write, so that
    /// `max_uses` holds when several nodes register at once. Returns the token as used, or
    /// nil when it is unknown, expired or used up at `date` (nothing is counted then).
    func useRegistrationToken(digest: String, tenant: TenantID, at date: Date) async throws -> RegistrationToken?
    /// Ends a token; false when there was none with that id.
    func deleteRegistrationToken(id: String, tenant: TenantID, audit: AuditEvent) async throws -> Bool
}
