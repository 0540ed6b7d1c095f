import CustosCore
import CustosHTTP
import CustosTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Rules 10 and 12 at the sign-in form: throttling is per (account, source) with growing
/// delays and per source, so failures from one place never lock the owner out from another;
/// throttled attempts cost no scrypt; hashing has a bounded pool (full: 503 page with
/// `Retry-After`); `X-Forwarded-For` counts only from a trusted proxy.
@Suite("Browser: sign-in throttling per source")
struct LoginSourceThrottleTests {
    static func address(_ text: String) throws -> ClientAddress { try #require(ClientAddress(text)) }

    static func signIn(_ server: TestServer, _ login: String, _ password: String, from source: ClientAddress) async -> Result<User, any Error> {
        do { return .success(try await server.server.passwordLogin.signIn(login: login, password: password, source: source)) } catch {
            return .failure(error)
        }
    }

    static func failure(_ result: Result<User, any Error>) -> PasswordLogin.Failure? {
        if case .failure(let error) = result { return error as? PasswordLogin.Failure }
        return nil
    }

    @Test(
        "when failures for the owner's account come from source A then the owner still signs in from source B, also after A is refused over all accounts",
        arguments: TestDatabase.all
    )
    func otherSourceUnaffected(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        _ = try await server.makeUser("alice")
        let attacker = try Self.address("198.51.100.66")
        let owner = try Self.address("203.0.113.10")
        for attempt in 1...5 {
            #expect(Self.failure(await Self.signIn(server, "alice", "guess \(attempt)", from: attacker)) == .invalidCredentials)
        }
        #expect(Self.failure(await Self.signIn(server, "alice", goodPassword, from: attacker)) == .throttled(retryAfter: 60))
        #expect(try await Self.signIn(server, "alice", goodPassword, from: owner).get().username == "alice")
        // The attacker spends the source's whole budget on other names: still only the attacker is refused.
        for index in 6...20 { _ = await Self.signIn(server, "name\(index)", "guess", from: attacker) }
        guard case .throttled = Self.failure(await Self.signIn(server, "bob", "guess", from: attacker)) else {
            Issue.record("20 failures from one source should refuse it")
            return
        }
        #expect(try await Self.signIn(server, "alice", goodPassword, from: owner).get().username == "alice")
        try await server.server.storage.close()
    }

    @Test(
        "when failures for one account and source go on then each delay doubles, up to 15 minutes, and a success clears it",
        arguments: TestDatabase.all
    )
    func delaysGrow(database: TestDatabase) async throws {
        let server = try await TestServer.make(database) { $0.loginFailuresPerIP = 100 }
        _ = try await server.makeUser("alice")
        let source = try Self.address("192.0.2.50")
        for _ in 1...5 { _ = await Self.signIn(server, "alice", "guess", from: source) }
        var expected = 60
        for _ in 1...6 {
            #expect(Self.failure(await Self.signIn(server, "alice", goodPassword, from: source)) == .throttled(retryAfter: expected))
            server.clock.advance(by: TimeInterval(expected) - 1)
            #expect(Self.failure(await Self.signIn(server, "alice", goodPassword, from: source)) == .throttled(retryAfter: 1))
            server.clock.advance(by: 2)
            #expect(Self.failure(await Self.signIn(server, "alice", "guess again", from: source)) == .invalidCredentials)
            expected = min(expected * 2, 900)
        }
        #expect(expected == 900, "the doubling reached the cap")
        #expect(Self.failure(await Self.signIn(server, "alice", goodPassword, from: source)) == .throttled(retryAfter: 900))
        server.clock.advance(by: 901)
        #expect(try await Self.signIn(server, "alice", goodPassword, from: source).get().username == "alice")
        // Cleared: the next single failure is an ordinary one, with no delay after it.
        #expect(Self.failure(await Self.signIn(server, "alice", "typo", from: source)) == .invalidCredentials)
        #expect(try await Self.signIn(server, "alice", goodPassword, from: source).get().username == "alice")
        try await server.server.storage.close()
    }

    @Test("when an attempt is throttled or rate limited then no password hash is computed", arguments: TestDatabase.all)
    func throttledDoesNoHashing(database: TestDatabase) async throws {
        let server = try await TestServer.make(database) {
            $0.rateLimits.loginPerIP = RateLimitPolicy(limit: 8, window: 60)
            $0.loginFailuresPerIP = 100
        }
        _ = try await server.makeUser("alice")
        let source = try Self.address("192.0.2.60")
        let hasher = server.server.passwordHasher
        for _ in 1...5 { _ = await Self.signIn(server, "alice", "guess", from: source) }
        let before = hasher.derivations
        #expect(before > 0)
        for login in ["alice", "alice@example.com"] {
            #expect(Self.failure(await Self.signIn(server, login, goodPassword, from: source)) == .throttled(retryAfter: 60))
        }
        #expect(hasher.derivations == before, "a throttled attempt must not run scrypt")
        // Over the per-source submission limit (8 per minute): refused before anything else.
        _ = await Self.signIn(server, "ghost", "guess", from: source)
        let afterGhost = hasher.derivations
        #expect(afterGhost == before + 1, "an ordinary failure (missing account) costs one decoy verification")
        guard case .failure(let error) = await Self.signIn(server, "bob", "guess", from: source) else {
            Issue.record("no error")
            return
        }
        #expect(error is RateLimited, "\(error)")
        #expect(hasher.derivations == afterGhost)
        try await server.server.storage.close()
    }

    @Test("when failures come from many addresses of one IPv6 /64 then they count as one source", arguments: TestDatabase.all)
    func ipv6CountedPer64(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        _ = try await server.makeUser("alice")
        for host in 1...5 {
            _ = await Self.signIn(server, "alice", "guess", from: try Self.address("2001:db8:aa:bb::\(String(host, radix: 16))"))
        }
        let sameNetwork = try Self.address("2001:db8:aa:bb:ffff:1234:5678:9abc")
        #expect(Self.failure(await Self.signIn(server, "alice", goodPassword, from: sameNetwork)) == .throttled(retryAfter: 60))
        let nextNetwork = try Self.address("2001:db8:aa:bc::1")
        #expect(try await Self.signIn(server, "alice", goodPassword, from: nextNetwork).get().username == "alice")
        try await server.server.storage.close()
    }

    @Test("when the password hashing pool and its queue are full then the sign-in page answers 503 with Retry-After, in HTML")
    func hashingPoolFull() async throws {
        let server = try await TestServer.make(.sqlite) {
            $0.passwordHashingThreads = 1
            $0.passwordHashingQueueLimit = 0
        }
        _ = try await server.makeUser("alice")
        let pool = server.server.passwordHasher.pool
        let release = DispatchSemaphore(value: 0)
        let entered = Atomic<Bool>(false)
        let blocker = Task {
            try await pool.run {
                entered.store(true, ordering: .relaxed)
                release.wait()
            }
        }
        for _ in 0..<500 where !entered.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
        try await server.run { http in
            let response = try await TestBrowser(http).signIn("alice", goodPassword)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(response.setCookie(named: BrowserCookieName.session) == nil)
            release.signal()
            try await blocker.value
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .seeOther)
        }
    }

    /// Runs the application on a real socket (the peer is 127.0.0.1) with `trustedProxies`.
    static func live(
        trustedProxies: String,
        _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> Void
    ) async throws {
        // The live client keeps one connection; on a loaded machine the time between two of its
        // requests can exceed the default 10 s request deadline, which would close it.
        var http = HTTPConfiguration(port: 0, requestTimeout: .seconds(600))
        http.trustedProxies = try AddressRange.list(trustedProxies)
        let server = try await TestServer.make(.sqlite, http: http)
        _ = try await server.makeUser("alice")
        let app = try await buildApplication(configuration: http, server: server.server, logger: server.logs.logger())
        try await app.test(.live) { client in try await body(server, client) }
        try await server.server.storage.close()
    }

    @Test("when no proxy is trusted then a spoofed X-Forwarded-For does not escape the per-source limit")
    func spoofedForwardedForIgnored() async throws {
        try await Self.live(trustedProxies: "") { (_: TestServer, http: any TestClientProtocol) async throws in
            for attempt in 1...5 {
                let spoofing = TestBrowser(http, headers: [ClientAddressHeader.forwardedFor: "198.51.100.\(attempt)"])
                #expect(try await spoofing.signIn("alice", "guess \(attempt)").status == .unauthorized)
            }
            let next = TestBrowser(http, headers: [ClientAddressHeader.forwardedFor: "198.51.100.99"])
            let response = try await next.signIn("alice", goodPassword)
            #expect(response.status == .tooManyRequests, "all five came from 127.0.0.1: \(response.status)")
            #expect(response.headers[.retryAfter] == "60")
        }
    }

    @Test("when the peer is a trusted proxy then the forwarded client is the source: the owner behind the proxy is not locked out by another client")
    func trustedProxyForwardsTheClient() async throws {
        try await Self.live(trustedProxies: "127.0.0.1, 10.0.0.0/8") { (_: TestServer, http: any TestClientProtocol) async throws in
            for attempt in 1...5 {
                // The attacker writes its own X-Forwarded-For entry; the proxy appends what it saw.
                let attacker = TestBrowser(http, headers: [ClientAddressHeader.forwardedFor: "203.0.113.\(attempt), 198.51.100.66, 10.0.0.2"])
                #expect(try await attacker.signIn("alice", "guess \(attempt)").status == .unauthorized)
            }
            let attacker = TestBrowser(http, headers: [ClientAddressHeader.forwardedFor: "203.0.113.200, 198.51.100.66"])
            #expect(try await attacker.signIn("alice", goodPassword).status == .tooManyRequests)
            let owner = TestBrowser(http, headers: [ClientAddressHeader.forwardedFor: "192.0.2.10"])
            #expect(try await owner.signIn("alice", goodPassword).status == .seeOther)
            // Garbage in the header: the proxy (the peer) is the source; it has failures of its own to count.
            let garbage = TestBrowser(http, headers: [ClientAddressHeader.forwardedFor: "not-an-ip"])
            #expect(try await garbage.signIn("alice", goodPassword).status == .seeOther)
        }
    }
}

enum ClientAddressHeader {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
