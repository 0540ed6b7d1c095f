import Foundation

/// The administrative operations on users, behind the admin API and the CLI. Every change is
/// audited; a deleted user's tokens, consents and sessions are revoked with the deletion.
///
/// Disabling (or locking) a user and setting a new password end the user's access the same
/// way: their refresh and access tokens are revoked and their browser sessions deleted in the
/// transaction that changes the record, then the clients of those sessions are notified over
/// the back channel (Back-Channel Logout 1.0), as the administrator's "end sessions" does.
public struct UserManagement: Sendable {
    private let store: any UserStore
    private let hasher: PasswordHasher
    private let configuration: ServerConfiguration
    private let clock: any WallClock
    private let endSession: EndSession

    public init(
        store: any UserStore,
        hasher: PasswordHasher,
        configuration: ServerConfiguration,
        clock: any WallClock,
        endSession: EndSession
    ) {
        self.endSession = endSession
        self.store = store
        self.hasher = hasher
        self.configuration = configuration
        self.clock = clock
    }

    public func create(_ request: UserRequest, by actor: AuditActor) async throws -> User {
        let username = try UserValidator.username(request.username)
        let email = try UserValidator.email(request.email)
        var passwordHash: String?
        if let password = request.password { passwordHash = try await hasher.hashing(try UserValidator.password(password)) }
        let now = clock.now
        let user = User(
            id: ULID.make(at: now),
            tenant: configuration.tenant,
            username: username,
            email: email,
            emailVerified: request.emailVerified ?? false,
            profile: try UserValidator.profile(request.profile ?? UserProfile()),
            roles: try UserValidator.roles(request.roles ?? ["user"]),
            status: try request.status.map(UserValidator.status) ?? .active,
            passwordHash: passwordHash,
            createdAt: now,
            updatedAt: now
        )
        do {
            try await store.insert(user, audit: event("user.create", user, by: actor, fields: [], at: now))
        } catch is StorageConflict {
            throw AdminError.conflict("a user with this username or email exists already")
        }
        return user
    }

    public func list(filter: UserFilter, page: PageRequest) async throws -> Page<User> {
        try await store.users(tenant: configuration.tenant, filter: filter, page: page)
    }

    public func user(_ id: String) async throws -> User {
        guard let user = try await store.user(id: id, tenant: configuration.tenant) else {
            throw AdminError.notFound("user \(id) not found")
        }
        return user
    }

    public func update(_ id: String, with request: UserRequest, by actor: AuditActor) async throws -> User {
        var user = try await user(id)
        var changed: [String] = []
        func change<T: Equatable>(_ field: String, _ keyPath: WritableKeyPath<User, T>, _ value: T?) {
            guard let value, user[keyPath: keyPath] != value else { return }
            user[keyPath: keyPath] = value
            changed.append(field)
        }
        change("username", \.username, try request.username.map { try UserValidator.username($0) })
        change("email", \.email, try request.email.map { try UserValidator.email($0) })
        change("email_verified", \.emailVerified, request.emailVerified)
        change("profile", \.profile, try request.profile.map { try UserValidator.profile($0) })
        change("roles", \.roles, try request.roles.map { try UserValidator.roles($0) })
        change("status", \.status, try request.status.map { try UserValidator.status($0) })
        if let password = request.password {
            user.passwordHash = try await hasher.hashing(try UserValidator.password(password))
            changed.append("password")
        }
        let endsAccess = changed.contains("password") || (changed.contains("status") && user.status != .active)
        return try await save(user, action: "user.update", fields: changed, endingAccess: endsAccess, by: actor)
    }

    public func setPassword(_ id: String, password: String, by actor: AuditActor) async throws {
        var user = try await user(id)
        user.passwordHash = try await hasher.hashing(try UserValidator.password(password))
        _ = try await save(user, action: "user.password.set", fields: ["password"], endingAccess: true, by: actor)
    }

    public func setStatus(_ id: String, _ status: User.Status, by actor: AuditActor) async throws -> User {
        var user = try await user(id)
        guard user.status != status else { return user }
        user.status = status
        return try await save(
            user,
            action: "user.status.\(status.rawValue)",
            fields: ["status"],
            endingAccess: status != .active,
            by: actor
        )
    }

    public func delete(_ id: String, by actor: AuditActor) async throws {
        let user = try await user(id)
        let now = clock.now
        try await store.delete(user, at: now, audit: event("user.delete", user, by: actor, fields: [], at: now))
        try await endSession.announceLogoutEverywhere(userID: user.id)
    }

    /// Stores the change; with `endingAccess`, revokes the user's tokens and sessions with it
    /// and then notifies the sessions' clients.
    private func save(
        _ user: User,
        action: String,
        fields: [String],
        endingAccess: Bool = false,
        by actor: AuditActor
    )
        async throws -> User
    {
        var user = user
        let now = clock.now
        user.updatedAt = now
        let audit = event(action, user, by: actor, fields: fields, at: now)
        do {
            if endingAccess {
                try await store.update(user, endingAccessAt: now, audit: audit)
            } else {
                try await store.update(user, audit: audit)
            }
        } catch is StorageConflict {
            throw AdminError.conflict("a user with this username or email exists already")
        }
        if endingAccess { try await endSession.announceLogoutEverywhere(userID: user.id) }
        return user
    }

    private func event(_ action: String, _ user: User, by actor: AuditActor, fields: [String], at now: Date) -> AuditEvent {
        AuditEvent(
            tenant: configuration.tenant,
            module: "user",
            action: action,
            targetType: "user",
            targetID: user.id,
            actor: actor,
            message: action.replacingOccurrences(of: ".", with: " "),
            changedFields: fields,
            createdAt: now
        )
    }
}
