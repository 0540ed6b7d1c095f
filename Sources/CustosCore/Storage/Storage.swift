/// Every store the server needs, from one backend (SQLite or PostgreSQL).
public protocol Storage: ClientStore, ClientSecretStore, TokenStore, SigningKeyStore, SettingsStore, UserStore,
    LoginThrottleStore, SessionStore, ConsentStore, AuthorizationCodeStore, ReplayCache, SessionParticipantStore, RateLimitStore,
    PendingAuthorizationStore, RegistrationTokenStore, PushedAuthorizationStore
{
    /// Whether several nodes may serve from this storage at once (PostgreSQL): state that
    /// must be common to all nodes (rate-limit counters) then lives in it.
    var isShared: Bool { get }
    /// Brings the schema up to date; safe to call from many nodes at once.
    func migrate() async throws
    /// Releases connections; the storage is unusable afterwards.
    func close() async throws
}

/// A storage failure the caller cannot fix by changing the request (database down, timeout).
/// The HTTP layer answers 503 with `Retry-After` for it, never a success.
public struct StorageUnavailable: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A write refused because it would duplicate a unique record (e.g. a client id).
public struct StorageConflict: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
