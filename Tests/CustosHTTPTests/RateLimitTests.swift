import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Request rates (issue 6): token requests per client, sign-in submissions per address. Over
/// the limit: 429, `rate_limit_exceeded` (OAuth JSON at the token endpoint, the login page in
/// HTML), and `Retry-After` with the seconds left in the window. On PostgreSQL the counters
/// are rows every node shares; on SQLite they are this node's memory.
@Suite("Rate limits")
struct RateLimitTests {
    static let secret = "custos_cs_rate-limit-secret-0123456789abcdef"

    static func tokenRequest(_ http: any TestClientProtocol, _ clientID: String) async throws -> TestResponse {
        try await OAuthEndpointKit.post(
            http,
            [("grant_type", "client_credentials"), ("scope", "openid")],
            authorization: OAuthEndpointKit.basic(clientID, secret)
        )
    }

    @Test(
        "when a client exceeds its token requests per window then 429 rate_limit_exceeded with Retry-After; other clients and the next window are served",
        arguments: TestDatabase.all
    )
    func tokenPerClient(database: TestDatabase) async throws {
        let server = try await TestServer.make(database) { $0.rateLimits.tokenPerClient = RateLimitPolicy(limit: 3, window: 60) }
        try await OAuthEndpointKit.insertClient(server, clientID: "busy-app", secret: Self.secret)
        try await OAuthEndpointKit.insertClient(server, clientID: "quiet-app", secret: Self.secret)
        try await server.run { http async throws in
            for attempt in 1...3 {
                let response = try await Self.tokenRequest(http, "busy-app")
                #expect(response.status == .ok, "request \(attempt): \(response.status) \(response.text)")
            }
            let limited = try await Self.tokenRequest(http, "busy-app")
            #expect(limited.status == .tooManyRequests, "\(limited.status) \(limited.text)")
            #expect(OAuthEndpointKit.error(limited) == "rate_limit_exceeded")
            #expect(limited.headers[.cacheControl] == "no-store")
            #expect((try? limited.json())?["access_token"] == nil)
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) }, "no numeric Retry-After: \(limited.headers)")
            #expect((1...60).contains(retryAfter), "Retry-After \(retryAfter)")

            #expect(try await Self.tokenRequest(http, "quiet-app").status == .ok, "another client was limited too")

            server.clock.advance(by: TimeInterval(retryAfter))
            let next = try await Self.tokenRequest(http, "busy-app")
            #expect(next.status == .ok, "after Retry-After: \(next.status) \(next.text)")
        }
    }

    @Test("when the token limit is 0 then no request is refused", arguments: TestDatabase.all)
    func tokenLimitOff(database: TestDatabase) async throws {
        let server = try await TestServer.make(database) { $0.rateLimits.tokenPerClient = .off }
        try await OAuthEndpointKit.insertClient(server, clientID: "busy-app", secret: Self.secret)
        try await server.run { http async throws in
            for attempt in 1...8 {
                #expect(try await Self.tokenRequest(http, "busy-app").status == .ok, "request \(attempt)")
            }
        }
    }

    @Test(
        "when one address submits more sign-ins than allowed then the login page answers 429 with Retry-After, even with the right password",
        arguments: TestDatabase.all
    )
    func loginPerIP(database: TestDatabase) async throws {
        let server = try await TestServer.make(database) { $0.rateLimits.loginPerIP = RateLimitPolicy(limit: 2, window: 60) }
        _ = try await server.makeUser("alice")
        try await server.run { http async throws in
            #expect(try await TestBrowser(http).signIn("alice", "wrong password").status == .unauthorized)
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .seeOther)
            let browser = TestBrowser(http)
            let limited = try await browser.signIn("alice", goodPassword)
            #expect(limited.status == .tooManyRequests, "\(limited.status)")
            #expect(limited.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(limited.setCookie(named: BrowserCookieName.session) == nil, "a limited sign-in got a session")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) }, "no numeric Retry-After: \(limited.headers)")
            #expect((1...60).contains(retryAfter))
            server.clock.advance(by: TimeInterval(retryAfter))
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .seeOther, "the next window signs in")
        }
    }
}
