import Foundation

public protocol UserStore: Sendable {
    /// Stores a new user; `StorageConflict` when the username or email is taken (case-insensitively).
    func insert(_ user: User, audit: AuditEvent) async throws
    /// The user with this id, unless deleted.
    func user(id: String, tenant: TenantID) async throws -> User?
    /// The user whose username or email equals `login` without regard to case, unless deleted.
    func user(login: String, tenant: TenantID) async throws -> User?
    func users(tenant: TenantID, filter: UserFilter, page: PageRequest) async throws -> Page<User>
    /// Replaces the user's record; `StorageConflict` when a new username or email is taken.
    func update(_ user: User, audit: AuditEvent?) async throws
    /// Replaces the user's record and, in the same transaction, ends their access: revokes all
    /// their tokens and deletes their browser sessions (the user was disabled or given a new
    /// password). A refresh in flight either finished before (its tokens are revoked too) or
    /// stores nothing.
    func update(_ user: User, endingAccessAt date: Date, audit: AuditEvent) async throws
    /// Soft-deletes the user and, in the same transaction, revokes their tokens, consents and sessions.
    func delete(_ user: User, at date: Date, audit: AuditEvent) async throws
}

public struct UserFilter: Sendable, Equatable {
    public var email: String?
    public var username: String?
    public var status: User.Status?

    public init(email: String? = nil, username: String? = nil, status: User.Status? = nil) {
        self.email = email
        self.username = username
        self.status = status
    }
}

/// Failed sign-ins and the locks they cause, shared by all nodes through the database.
public protocol LoginThrottleStore: Sendable {
    func recordFailure(key: String, tenant: TenantID, at date: Date) async throws
    func failures(key: String, tenant: TenantID, since date: Date) async throws -> Int
    func lock(key: String, tenant: TenantID, until date: Date) async throws
    func lockedUntil(key: String, tenant: TenantID) async throws -> Date?
    func clearFailures(key: String, tenant: TenantID) async throws
}

public protocol SessionStore: Sendable {
    func insert(_ session: BrowserSession) async throws
    func session(digest: String, tenant: TenantID) async throws -> BrowserSession?
    /// A session by its id (the `sid` of the tokens issued in it).
    func session(id: String, tenant: TenantID) async throws -> BrowserSession?
    func touch(sessionID: String, at date: Date) async throws
    func delete(digest: String, tenant: TenantID) async throws
    func deleteSessions(userID: String, tenant: TenantID) async throws
}

public protocol ConsentStore: Sendable {
    /// Stores the consent, or widens the user's existing consent for the client to include its scopes.
    func grant(_ consent: Consent) async throws -> Consent
    func consent(userID: String, clientID: String, tenant: TenantID) async throws -> Consent?
    /// The user's consents not withdrawn, newest first.
    func consents(userID: String, tenant: TenantID) async throws -> [Consent]
    /// Withdraws the consent and revokes the client's tokens for the user; false when no such consent is the user's.
    func withdraw(id: String, userID: String, tenant: TenantID, at date: Date) async throws -> Bool
}
