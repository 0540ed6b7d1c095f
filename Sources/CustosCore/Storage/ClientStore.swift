import Foundation

/// Finds a client by its public id: the store itself, or the `ClientCache` in front of it.
public protocol ClientLookup: Sendable {
    /// The client with this public id, unless deleted.
    func client(clientID: String, tenant: TenantID) async throws -> OAuthClient?
}

/// Clients and their audit trail. Each write takes the audit event that describes it and
/// stores both atomically, so the log cannot miss a change or record one that failed.
public protocol ClientStore: ClientLookup {
    /// Stores a new client with its initial secrets.
    func insert(_ client: OAuthClient, secrets: [ClientSecretRecord], audit: AuditEvent) async throws
    /// The client with this public id, unless deleted. `secretLastFour` is filled in.
    func client(clientID: String, tenant: TenantID) async throws -> OAuthClient?
    /// Clients not deleted, newest first; `name` matches case-insensitively as a substring.
    func clients(
        tenant: TenantID,
        nameContains: String?,
        status: ClientStatus?,
        page: PageRequest
    ) async throws
        -> Page<OAuthClient>
    /// Replaces the stored settings; `secretStatusChange` switches every active secret when a
    /// client stops using secrets.
    func update(_ client: OAuthClient, deactivateSecrets: Bool, audit: AuditEvent) async throws
    /// Soft-deletes the client and revokes every token issued to it, in one transaction.
    func delete(_ client: OAuthClient, at date: Date, audit: AuditEvent) async throws
    func auditEvents(targetID: String, tenant: TenantID, page: PageRequest) async throws -> Page<AuditEvent>
    /// RFC 9396 §10: the `authorization_details_types` registered by the tenant's active
    /// clients, each once, sorted (discovery lists them beside the operator's).
    func authorizationDetailsTypes(tenant: TenantID) async throws -> [String]
}

/// Why a secret could not be removed or switched off.
public enum SecretChangeOutcome: Sendable, Equatable {
    case changed(ClientSecretRecord)
    case notFound
    /// It is the client's only active secret (pinned rule 8).
    case lastActiveSecret
}

public protocol ClientSecretStore: Sendable {
    func secrets(clientRecordID: String, tenant: TenantID) async throws -> [ClientSecretRecord]
    /// Adds the secret unless `maximumActive` active secrets exist already; false then.
    func add(_ secret: ClientSecretRecord, maximumActive: Int, audit: AuditEvent) async throws -> Bool
    /// Marks every active secret `rotated` until `graceUntil`, then adds `newSecret`.
    func rotate(to newSecret: ClientSecretRecord, graceUntil: Date, audit: AuditEvent) async throws
    func delete(
        secretID: String,
        clientRecordID: String,
        tenant: TenantID,
        audit: AuditEvent
    ) async throws
        -> SecretChangeOutcome
    func deactivate(
        secretID: String,
        clientRecordID: String,
        tenant: TenantID,
        at date: Date,
        audit: AuditEvent
    )
        async throws -> SecretChangeOutcome
    /// Notes a successful authentication; best effort, for the secrets list.
    func markUsed(secretID: String, at date: Date) async throws
}
