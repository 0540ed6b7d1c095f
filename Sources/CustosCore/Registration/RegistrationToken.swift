import Foundation

/// An initial access token for dynamic registration (RFC 7591 §3), created by an
/// administrator with the policy its registrations get. Only the digest is stored; the
/// token is shown once, at creation.
public struct RegistrationToken: Sendable, Equatable {
    /// Record id (ULID).
    public var id: String
    public var tenant: TenantID
    /// SHA-256 of the token (`OpaqueToken.digest`): 256 random bits need no slow hash.
    public var digest: String
    public var policy: RegistrationPolicy
    public var expiresAt: Date
    /// nil: any number of registrations until it expires.
    public var maxUses: Int?
    /// Registrations made with it so far.
    public var uses: Int
    public var createdAt: Date

    public init(
        id: String,
        tenant: TenantID,
        digest: String,
        policy: RegistrationPolicy,
        expiresAt: Date,
        maxUses: Int?,
        uses: Int,
        createdAt: Date
    ) {
        self.id = id
        self.tenant = tenant
        self.digest = digest
        self.policy = policy
        self.expiresAt = expiresAt
        self.maxUses = maxUses
        self.uses = uses
        self.createdAt = createdAt
    }

    /// Whether a registration may still use it at `date`.
    public func isUsable(at date: Date) -> Bool {
        expiresAt > date && maxUses.map { uses < $0 } ?? true
    }

    /// Prefix of every token, so that a leaked one is recognisable (secret scanning).
    public static let prefix = OpaqueToken.Kind.initialAccessToken.prefix
}
