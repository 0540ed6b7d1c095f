import Foundation

/// Signs a user in with a username (or email) and password.
///
/// The answer never tells whether the account exists: unknown accounts, wrong passwords,
/// disabled accounts and throttled attempts all fail the same way, and a missing account
/// costs one scrypt verification like a real one. After `loginFailuresPerAccount` failures
/// for a login name within the window, or `loginFailuresPerIP` from one address, attempts
/// are refused for `loginLockDuration`, whether the account exists or not.
public struct PasswordLogin: Sendable {
    public enum Failure: Error, Equatable {
        /// Wrong credentials, unknown or inactive account: one answer for all.
        case invalidCredentials
        /// Too many recent failures for this login name or address.
        case throttled
    }

    private let users: any UserStore
    private let throttle: any LoginThrottleStore
    private let hasher: PasswordHasher
    private let configuration: ServerConfiguration
    private let clock: any WallClock
    private let rateLimiter: RateLimiter?

    public init(
        users: any UserStore, throttle: any LoginThrottleStore, hasher: PasswordHasher, configuration: ServerConfiguration,
        clock: any WallClock, rateLimiter: RateLimiter? = nil
    ) {
        self.rateLimiter = rateLimiter
        self.users = users
        self.throttle = throttle
        self.hasher = hasher
        self.configuration = configuration
        self.clock = clock
    }

    /// Throws `Failure`, or `RateLimited` when `ip` submitted more sign-ins than
    /// `rateLimits.loginPerIP` allows (counted before any password work, so a flood costs no
    /// scrypt time).
    public func signIn(login: String, password: String, ip: String) async throws -> User {
        try await rateLimiter?.admit(.login, caller: ip, policy: configuration.rateLimits.loginPerIP)
        let tenant = configuration.tenant
        let user = try await users.user(login: login, tenant: tenant)
        // An existing account is throttled by its id, so its username and email share one
        // count; a missing one by the name typed, so it locks the same way.
        let keys = ["account:" + (user.map { "id:" + $0.id } ?? "name:" + login.lowercased()), "ip:" + ip]
        let now = clock.now
        for key in keys {
            if let until = try await throttle.lockedUntil(key: key, tenant: tenant), until > now {
                hasher.verifyDecoy(password)
                throw Failure.throttled
            }
        }
        guard let user, let stored = user.passwordHash else {
            hasher.verifyDecoy(password)
            try await recordFailure(keys: keys, at: now)
            throw Failure.invalidCredentials
        }
        let verification = hasher.verify(password, against: stored)
        guard verification.matches, user.status == .active else {
            try await recordFailure(keys: keys, at: now)
            throw Failure.invalidCredentials
        }
        try await throttle.clearFailures(key: keys[0], tenant: tenant)
        if verification.needsRehash {
            var upgraded = user
            upgraded.passwordHash = try hasher.hash(password)
            try await users.update(upgraded, audit: nil)
            return upgraded
        }
        return user
    }

    private func recordFailure(keys: [String], at now: Date) async throws {
        let tenant = configuration.tenant
        let limits = [configuration.loginFailuresPerAccount, configuration.loginFailuresPerIP]
        for (key, limit) in zip(keys, limits) {
            try await throttle.recordFailure(key: key, tenant: tenant, at: now)
            let recent = try await throttle.failures(key: key, tenant: tenant, since: now.addingTimeInterval(-configuration.loginFailureWindow))
            if recent >= limit {
                try await throttle.lock(key: key, tenant: tenant, until: now.addingTimeInterval(configuration.loginLockDuration))
            }
        }
    }
}
