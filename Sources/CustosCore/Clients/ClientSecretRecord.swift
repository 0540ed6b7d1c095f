import Foundation

/// A stored client secret: only its keyed digest and its last four characters.
public struct ClientSecretRecord: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Accepted for authentication.
        case active
        /// Switched off by an administrator; never accepted again.
        case inactive
        /// Replaced by rotation; accepted until `expiresAt` (the 4-hour grace of pinned rule 8).
        case rotated
    }

    public var id: String
    public var tenant: TenantID
    /// The owning client's record id.
    public var clientRecordID: String
    public var digest: String
    public var lastFour: String
    public var status: Status
    public var description: String
    public var createdAt: Date
    public var updatedAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    /// The secret encrypted under the master key, kept only for clients registered for
    /// client_secret_jwt, which needs the secret itself as its HMAC key (RFC 7523 §2.2).
    public var sealedValue: String?

    public init(
        id: String,
        tenant: TenantID,
        clientRecordID: String,
        digest: String,
        lastFour: String,
        status: Status,
        description: String = "",
        createdAt: Date,
        updatedAt: Date,
        expiresAt: Date? = nil,
        lastUsedAt: Date? = nil,
        sealedValue: String? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.clientRecordID = clientRecordID
        self.digest = digest
        self.lastFour = lastFour
        self.status = status
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.sealedValue = sealedValue
    }

    /// Whether this secret may authenticate the client at `now`.
    public func accepts(at now: Date) -> Bool {
        switch status {
        case .active: true
        case .inactive: false
        case .rotated: expiresAt.map { now < $0 } ?? false
        }
    }
}
