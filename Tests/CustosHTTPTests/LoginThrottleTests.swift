import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Brute-force protection of the sign-in form: after 5 failures for an account from one source
/// within 15 minutes, that source waits 60 s before its next attempt, doubling per further
/// failure up to 15 minutes, whether the account exists or not; 20 failures from one source
/// refuse that source. (In-process requests all come from the same, unknown, source; other
/// sources are in `LoginSourceThrottleTests`.)
@Suite("Browser: sign-in throttling")
struct LoginThrottleTests {
    static let throttledMessage = "Too many failed attempts. Wait a few minutes, then try again."
    static let lockSeconds: TimeInterval = 15 * 60
    static let firstDelay: TimeInterval = 60

    static func withUsers<T: Sendable>(
        _ database: TestDatabase,
        _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let server = try await TestServer.make(database)
        _ = try await server.makeUser("alice")
        _ = try await server.makeUser("bob")
        return try await server.run { http in try await body(server, http) }
    }

    /// Fails `count` sign-ins for `username`, each expected to be an ordinary 401.
    static func fail(
        _ http: any TestClientProtocol,
        _ username: String,
        times count: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for attempt in 1...count {
            let response = try await TestBrowser(http).signIn(username, "wrong password \(attempt)")
            #expect(response.status == .unauthorized, "\(username) attempt \(attempt): \(response.status)", sourceLocation: sourceLocation)
            #expect(response.alertMessage == incorrectCredentialsMessage, sourceLocation: sourceLocation)
        }
    }

    @Test(
        "when an account fails 5 times within 15 minutes then the 6th attempt, even with the right password, is refused with 429 and Retry-After for 60 s",
        arguments: TestDatabase.all
    )
    func lockAfterFiveFailures(database: TestDatabase) async throws {
        try await Self.withUsers(database) { server, http in
            try await Self.fail(http, "alice", times: 5)
            let browser = TestBrowser(http)
            let sixth = try await browser.signIn("alice", goodPassword)
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.alertMessage == Self.throttledMessage, "\(sixth.alertMessage ?? "no alert")")
            #expect(sixth.setCookie(named: BrowserCookieName.session) == nil, "a locked account got a session")
            #expect(sixth.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await browser.isSignedIn() == false)
            #expect(sixth.headers[.retryAfter] == "60")
            // Still waiting just before the delay is over.
            server.clock.advance(by: Self.firstDelay - 5)
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .tooManyRequests)
        }
    }

    @Test("when the delay after 5 failures has passed then the right password works again", arguments: TestDatabase.all)
    func unlockAfterFifteenMinutes(database: TestDatabase) async throws {
        try await Self.withUsers(database) { server, http in
            try await Self.fail(http, "alice", times: 5)
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .tooManyRequests)
            server.clock.advance(by: Self.firstDelay + 1)
            let browser = TestBrowser(http)
            let response = try await browser.signIn("alice", goodPassword)
            #expect(response.status == .seeOther, "\(response.status) \(response.alertMessage ?? "")")
            #expect(response.setCookie(named: BrowserCookieName.session) != nil)
            #expect(try await browser.isSignedIn())
        }
    }

    @Test("when five failures are spread over more than 15 minutes then the account is not locked", arguments: TestDatabase.all)
    func failuresOutsideWindow(database: TestDatabase) async throws {
        try await Self.withUsers(database) { server, http in
            for attempt in 1...5 {
                if attempt > 1 { server.clock.advance(by: 4 * 60) }  // 0, 4, 8, 12, 16 minutes
                #expect(try await TestBrowser(http).signIn("alice", "wrong password").status == .unauthorized, "attempt \(attempt)")
            }
            let response = try await TestBrowser(http).signIn("alice", goodPassword)
            #expect(response.status == .seeOther, "only 4 failures lie within the last 15 minutes: \(response.status)")
        }
    }

    @Test("when five failures fall within 15 minutes though spaced out then the account is locked", arguments: TestDatabase.all)
    func spacedFailuresWithinWindow(database: TestDatabase) async throws {
        try await Self.withUsers(database) { server, http in
            for attempt in 1...5 {
                if attempt > 1 { server.clock.advance(by: 3 * 60) }  // 0, 3, 6, 9, 12 minutes
                let failure = try await TestBrowser(http).signIn("alice", "wrong password")
                #expect(failure.status == .unauthorized, "attempt \(attempt)")
            }
            let response = try await TestBrowser(http).signIn("alice", goodPassword)
            #expect(response.status == .tooManyRequests)
        }
    }

    @Test(
        "when a non-existent username fails 5 times then it is locked with the same status and message as a real account",
        arguments: TestDatabase.all
    )
    func missingAccountLockedAlike(database: TestDatabase) async throws {
        try await Self.withUsers(database) { _, http in
            try await Self.fail(http, "alice", times: 5)
            try await Self.fail(http, "ghost", times: 5)
            let real = try await TestBrowser(http).signIn("alice", "yet another guess")
            let ghost = try await TestBrowser(http).signIn("ghost", "yet another guess")
            #expect(real.status == .tooManyRequests)
            #expect(ghost.status == real.status, "a missing account answers \(ghost.status), a real one \(real.status)")
            #expect(ghost.alertMessage == real.alertMessage)
            #expect(ghost.alertMessage == Self.throttledMessage)
        }
    }

    @Test("when one account is locked then another account can still sign in", arguments: TestDatabase.all)
    func lockIsPerAccount(database: TestDatabase) async throws {
        try await Self.withUsers(database) { _, http in
            try await Self.fail(http, "alice", times: 5)
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .tooManyRequests)
            let bob = try await TestBrowser(http).signIn("bob", goodPassword)
            #expect(bob.status == .seeOther, "\(bob.status)")
        }
    }

    @Test("when an account is locked then signing in with its email (or another case) is refused too", arguments: TestDatabase.all)
    func lockCoversEveryLoginName(database: TestDatabase) async throws {
        try await Self.withUsers(database) { _, http in
            try await Self.fail(http, "alice", times: 5)
            let upper = try await TestBrowser(http).signIn("ALICE", goodPassword)
            #expect(upper.status == .tooManyRequests, "a case variant of a locked username: \(upper.status)")
            let email = try await TestBrowser(http).signIn("alice@example.com", goodPassword)
            #expect(
                email.status == .tooManyRequests,
                "the account is locked after 5 failures, so its email must not sign in either: \(email.status)"
            )
        }
    }

    @Test("when failures alternate between an account's username and email then 5 of them lock the account", arguments: TestDatabase.all)
    func failuresCountPerAccount(database: TestDatabase) async throws {
        try await Self.withUsers(database) { _, http in
            for attempt in 1...5 {
                let login = attempt.isMultiple(of: 2) ? "alice@example.com" : "alice"
                #expect(try await TestBrowser(http).signIn(login, "wrong password").status == .unauthorized)
            }
            let response = try await TestBrowser(http).signIn("alice", goodPassword)
            #expect(response.status == .tooManyRequests, "5 failures for the account (3 by name, 2 by email): \(response.status)")
        }
    }

    @Test(
        "when 20 sign-ins fail from one address across different usernames then that address is refused, even for a right password",
        arguments: TestDatabase.all
    )
    func perIPLimit(database: TestDatabase) async throws {
        try await Self.withUsers(database) { server, http in
            // 20 different names, each failing once: no account reaches its own limit.
            for index in 1...19 {
                #expect(try await TestBrowser(http).signIn("user\(index)", "wrong password").status == .unauthorized, "user\(index)")
            }
            // Below the limit, the right password still works (and clears only alice's count).
            #expect(try await TestBrowser(http).signIn("bob", goodPassword).status == .seeOther, "19 failures must not lock the address")
            #expect(try await TestBrowser(http).signIn("user20", "wrong password").status == .unauthorized)

            let alice = try await TestBrowser(http).signIn("alice", goodPassword)
            #expect(alice.status == .tooManyRequests, "the 21st attempt from the address: \(alice.status)")
            #expect(alice.alertMessage == Self.throttledMessage)
            #expect(alice.setCookie(named: BrowserCookieName.session) == nil)
            #expect(try await TestBrowser(http).signIn("fresh-name", "whatever guess").status == .tooManyRequests)

            server.clock.advance(by: Self.lockSeconds + 1)
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .seeOther)
        }
    }

    @Test("when a sign-in succeeds then the account's failure count starts again", arguments: TestDatabase.all)
    func successClearsFailures(database: TestDatabase) async throws {
        try await Self.withUsers(database) { _, http in
            try await Self.fail(http, "alice", times: 4)
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .seeOther)
            // Four more failures: 8 in total, but only 4 since the success.
            try await Self.fail(http, "alice", times: 4)
            let response = try await TestBrowser(http).signIn("alice", goodPassword)
            #expect(response.status == .seeOther, "the success should have cleared the earlier failures: \(response.status)")
            // And the fifth failure after a success does lock.
            try await Self.fail(http, "alice", times: 5)
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .tooManyRequests)
        }
    }

    @Test("when the core signs in a missing user then it fails like a wrong password, and both count towards the delay from that source")
    func coreMissingUserFailsAlike() async throws {
        let server = try await TestServer.make(.sqlite)
        _ = try await server.makeUser("alice")
        let login = server.server.passwordLogin
        let source = try #require(ClientAddress("192.0.2.1"))
        await #expect(throws: PasswordLogin.Failure.invalidCredentials) {
            try await login.signIn(login: "alice", password: "wrong password", source: source)
        }
        await #expect(throws: PasswordLogin.Failure.invalidCredentials) {
            try await login.signIn(login: "nobody", password: "wrong password", source: source)
        }
        for _ in 1...4 { _ = try? await login.signIn(login: "nobody", password: "wrong password", source: source) }
        await #expect(throws: PasswordLogin.Failure.throttled(retryAfter: 60)) {
            try await login.signIn(login: "nobody", password: "wrong password", source: source)
        }
        try await server.server.storage.close()
    }
}
