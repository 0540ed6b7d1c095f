import Foundation

/// Signs a user in with a username (or email) and password.
///
/// Failed sign-ins are throttled so that guessing is slow, without letting anyone lock an
/// owner out of their own account (NIST SP 800-63B §5.2.2 asks for rate limiting, and
/// notes that a lock everyone can trigger is itself an attack):
/// - per (account, source): after `loginFailuresPerAccount` failures within
///   `loginFailureWindow`, each further attempt from that source waits `loginDelayBase`,
///   doubling with every failure up to `loginLockDuration`; a success clears it. Another
///   source (the owner's) is not affected.
/// - per source, over all accounts: `loginFailuresPerIP` failures within the window refuse
///   that source for `loginFailureWindow`; and `rateLimits.loginPerIP` caps its submissions.
/// A source is a `ClientAddress` counted by its `throttleKey` (IPv6 per /64).
///
/// A throttled attempt is answered before any password work, so it costs no scrypt time.
/// Otherwise the answer never tells whether the account exists: unknown accounts, wrong
/// passwords and disabled accounts fail the same way, and a missing account costs one scrypt
/// verification like a real one. Hashing runs on the `PasswordHashingPool`.
public struct PasswordLogin: Sendable {
    public enum Failure: Error, Equatable {
        /// Wrong credentials, unknown or inactive account: one answer for all.
        case invalidCredentials
        /// Too many recent failures for this account from this source, or from this source;
        /// the next attempt is considered after `retryAfter` seconds.
        case throttled(retryAfter: Int)
    }

    private let users: any UserStore
    private let throttle: any LoginThrottleStore
    private let hasher: PasswordHasher
    private let configuration: ServerConfiguration
    private let clock: any WallClock
    private let rateLimiter: RateLimiter?

    public init(
        users: any UserStore,
        throttle: any LoginThrottleStore,
        hasher: PasswordHasher,
        configuration: ServerConfiguration,
        clock: any WallClock,
        rateLimiter: RateLimiter? = nil
    ) {
        self.rateLimiter = rateLimiter
        self.users = users
        self.throttle = throttle
        self.hasher = hasher
        self.configuration = configuration
        self.clock = clock
    }

    /// Throws `Failure`, `RateLimited` when `source` submitted more sign-ins than
    /// `rateLimits.loginPerIP` allows, or `PasswordHashingBusy` when the hashing pool is full.
    public func signIn(login: String, password: String, source: ClientAddress) async throws -> User {
        let origin = "source:" + source.throttleKey
        try await rateLimiter?.admit(.login, caller: source.throttleKey, policy: configuration.rateLimits.loginPerIP)
        let tenant = configuration.tenant
        let user = try await users.user(login: login, tenant: tenant)
        // An existing account is throttled by its id, so its username and email share one
        // count; a missing one by the name typed, so it is throttled the same way.
        let account = "account:" + (user.map { "id:" + $0.id } ?? "name:" + login.lowercased()) + "\u{1F}" + origin
        let now = clock.now
        var accountDelayEnd: Date?
        for key in [origin, account] {
            let until = try await throttle.lockedUntil(key: key, tenant: tenant)
            if let until, until > now {
                throw Failure.throttled(retryAfter: max(1, Int(until.timeIntervalSince(now).rounded(.up))))
            }
            if key == account { accountDelayEnd = until }
        }
        guard let user, let stored = user.passwordHash else {
            try await hasher.verifyingDecoy(password)
            try await recordFailure(account: account, origin: origin, previousDelayEnd: accountDelayEnd, at: now)
            throw Failure.invalidCredentials
        }
        let verification = try await hasher.verifying(password, against: stored)
        guard verification.matches, user.status == .active else {
            try await recordFailure(account: account, origin: origin, previousDelayEnd: accountDelayEnd, at: now)
            throw Failure.invalidCredentials
        }
        // Only this account's count from this source: a success must not reset the source's
        // count over all accounts, or one known password would unlock guessing at the others.
        try await throttle.clearFailures(key: account, tenant: tenant)
        if accountDelayEnd != nil { try await throttle.lock(key: account, tenant: tenant, until: Date(timeIntervalSince1970: 0)) }
        // With the pool full, the upgrade waits for a later sign-in rather than fail this one.
        if verification.needsRehash, let rehashed = try? await hasher.hashing(password) {
            var upgraded = user
            upgraded.passwordHash = rehashed
            try await users.update(upgraded, audit: nil)
            return upgraded
        }
        return user
    }

    /// How long failures of one (account, source) are remembered for the doubling (a success
    /// forgets them): long enough that a guesser kept at the 15-minute cap stays there.
    static let failureMemory: TimeInterval = 86_400

    private func recordFailure(account: String, origin: String, previousDelayEnd: Date?, at now: Date) async throws {
        let tenant = configuration.tenant
        let since = now.addingTimeInterval(-configuration.loginFailureWindow)

        try await throttle.recordFailure(key: account, tenant: tenant, at: now)
        let recent = try await throttle.failures(key: account, tenant: tenant, since: since)
        // Delays start at `loginFailuresPerAccount` failures within the window, and go on
        // growing while failures follow a delay within the window: counted over a day, so the
        // doubling does not start again because the earliest failures aged out of the window.
        let escalating = previousDelayEnd.map { now < $0.addingTimeInterval(configuration.loginFailureWindow) } ?? false
        if recent >= configuration.loginFailuresPerAccount || escalating {
            let remembered = try await throttle.failures(key: account, tenant: tenant, since: now.addingTimeInterval(-Self.failureMemory))
            if let delay = Self.delay(afterFailures: max(recent, remembered), configuration: configuration) {
                try await throttle.lock(key: account, tenant: tenant, until: now.addingTimeInterval(delay))
            }
        }

        try await throttle.recordFailure(key: origin, tenant: tenant, at: now)
        let fromOrigin = try await throttle.failures(key: origin, tenant: tenant, since: since)
        if configuration.loginFailuresPerIP > 0, fromOrigin >= configuration.loginFailuresPerIP {
            try await throttle.lock(key: origin, tenant: tenant, until: now.addingTimeInterval(configuration.loginFailureWindow))
        }
    }

    /// The wait after `failures` failures for one (account, source): none below the
    /// threshold, then `loginDelayBase` doubling per failure, capped at `loginLockDuration`.
    static func delay(afterFailures failures: Int, configuration: ServerConfiguration) -> TimeInterval? {
        let threshold = max(1, configuration.loginFailuresPerAccount)
        guard failures >= threshold else { return nil }
        let doublings = min(failures - threshold, 30)
        return min(configuration.loginLockDuration, configuration.loginDelayBase * Double(1 << doublings))
    }
}
