import Foundation

/// Starts, finds and ends browser sessions. A session ends at its absolute expiry or after
/// `idleTimeout` without use, whichever comes first.
public struct SessionManager: Sendable {
    private let store: any SessionStore
    private let users: any UserStore
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(store: any SessionStore, users: any UserStore, configuration: ServerConfiguration, clock: any WallClock) {
        self.store = store
        self.users = users
        self.configuration = configuration
        self.clock = clock
    }

    /// A new session for `user`; returns the cookie value, shown nowhere else.
    public func start(for user: User, amr: [String]) async throws -> (session: BrowserSession, cookie: String) {
        let now = clock.now
        let (cookie, digest) = OpaqueToken.generate(.session)
        let session = BrowserSession(
            id: ULID.make(at: now),
            tenant: configuration.tenant,
            digest: digest,
            userID: user.id,
            authTime: now,
            amr: amr,
            createdAt: now,
            lastSeenAt: now,
            expiresAt: now.addingTimeInterval(configuration.sessionLifetime)
        )
        try await store.insert(session)
        return (session, cookie)
    }

    /// The live session and its active user for a cookie value, refreshing its idle timer.
    public func resume(cookie: String) async throws -> (session: BrowserSession, user: User)? {
        guard !cookie.isEmpty, cookie.utf8.count <= 64 else { return nil }
        return try await live(try await store.session(digest: Self.digest(cookie), tenant: configuration.tenant))
    }

    /// The live session with this id (the `sid` a token was issued in) and its active user.
    public func live(id: String) async throws -> (session: BrowserSession, user: User)? {
        try await live(try await store.session(id: id, tenant: configuration.tenant))
    }

    private func live(_ found: BrowserSession?) async throws -> (session: BrowserSession, user: User)? {
        let now = clock.now
        guard let session = found, session.expiresAt > now,
            session.lastSeenAt.addingTimeInterval(configuration.sessionIdleTimeout) > now
        else { return nil }
        guard let user = try await users.user(id: session.userID, tenant: configuration.tenant), user.status == .active else {
            return nil
        }
        // Touch at most once a minute: every page view would otherwise be a write.
        if now.timeIntervalSince(session.lastSeenAt) > 60 { try await store.touch(sessionID: session.id, at: now) }
        return (session, user)
    }

    public func end(cookie: String) async throws {
        try await store.delete(digest: Self.digest(cookie), tenant: configuration.tenant)
    }

    static func digest(_ cookie: String) -> String {
        OpaqueToken.digest(cookie)
    }
}
