import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The consent page: the signed-in user sees what a pending authorization request asks for —
/// the client, its scopes in plain words, claims asked for by name — and approves or denies.
/// The page and the stored consent come from the server's record of the request; the page's
/// own URL carries only the request's handle (RFC 9700 §4.11).
@Suite("Browser: consent page")
struct ConsentPageTests {
    static let scopes = ["openid", "profile", "email", "phone", "offline_access"]

    /// A server with alice (named "Alice Liddell") and a registered client "Photo Album".
    static func withClient<T: Sendable>(
        _ database: TestDatabase,
        _ body: @Sendable (TestServer, any TestClientProtocol, User, FlowClient) async throws -> T
    ) async throws -> T {
        let server = try await TestServer.make(database)
        let user = try await server.makeUser("alice", name: "Alice Liddell")
        return try await server.run { http in
            let clientID = try await http.registerClient(name: "Photo Album", ["scopes": Self.scopes])
            return try await body(server, http, user, FlowClient(clientID: clientID, secret: nil, redirectURI: Flow.redirectURI))
        }
    }

    /// The consent page of a new authorization request of `client` for `scope`, as the
    /// authorization endpoint sends a signed-in browser to it.
    static func consentPath(
        _ browser: TestBrowser,
        _ client: FlowClient,
        scope: String,
        extra: [(String, String)] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let response = try await browser.get(
            Flow.authorizePath + "?" + FormEncoding.encode(FlowContext.parameters(for: client, scope: scope, extra: extra))
        )
        try #require(response.status == .seeOther, "authorize: \(response.status) \(response.text)", sourceLocation: sourceLocation)
        let location = try #require(response.location, sourceLocation: sourceLocation)
        try #require(location.hasPrefix("\(api)/consent?authorization_request="), "\(location)", sourceLocation: sourceLocation)
        return location
    }

    static func handle(of consentPath: String) -> String {
        URLComponents(string: consentPath)?.queryItems?.first { $0.name == AuthorizationEndpoint.pendingParameter }?.value ?? ""
    }

    /// Loads the consent page and posts `decision` with its form fields.
    static func decide(
        _ browser: TestBrowser,
        _ path: String,
        decision: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        try await browser.submit(
            from: path,
            to: "\(api)/consent",
            [("authorization_request", handle(of: path)), ("decision", decision)],
            sourceLocation: sourceLocation
        )
    }

    @Test(
        "when the consent page is opened without a session then it redirects (303) to sign-in with return_to back to it",
        arguments: TestDatabase.all
    )
    func redirectsToLogin(database: TestDatabase) async throws {
        try await Self.withClient(database) { _, http, _, client in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let path = try await Self.consentPath(browser, client, scope: "openid email")
            let signedOut = TestBrowser(http)
            let response = try await signedOut.get(path)
            #expect(response.status == .seeOther)
            let location = try #require(response.location)
            let components = try #require(URLComponents(string: location))
            #expect(components.path == "\(api)/login", "\(location)")
            let back = try #require(components.queryItems?.first { $0.name == "return_to" }?.value, "no return_to in \(location)")
            #expect(back == path, "return_to \(back) should lead back to the consent page \(path)")
            #expect(try await signedOut.signIn("alice", goodPassword, returnTo: back).location == path)
            #expect(try await signedOut.get(path).status == .ok)
        }
    }

    @Test(
        "when a signed-in user opens the consent page then it shows the client's name and each requested scope in plain words",
        arguments: TestDatabase.all
    )
    func pageListsScopes(database: TestDatabase) async throws {
        try await Self.withClient(database) { _, http, _, client in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let response = try await browser.get(try await Self.consentPath(browser, client, scope: "openid email profile"))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(response.headers[.init("X-Frame-Options")!] == "DENY", "the consent page must not be framed")
            let html = response.text
            #expect(html.contains("Photo Album wants access"))
            #expect(html.contains("Alice Liddell"), "the page names the signed-in user")
            #expect(html.contains("See your email address"))
            #expect(html.contains("See your profile"))
            #expect(html.contains("Know who you are"))
            #expect(!html.contains("See your phone number"), "a scope that was not requested is listed")
            #expect(!html.contains("details of your account"), "no claims were asked for by name")
            #expect(html.contains("name=\"decision\" value=\"approve\""))
            #expect(html.contains("name=\"decision\" value=\"deny\""))
            #expect(response.csrfFormToken != nil)
        }
    }

    @Test(
        "when the consent page's own query names other scopes or another client then the page still shows the pending request",
        arguments: TestDatabase.all
    )
    func pageIgnoresItsQuery(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, client in
            let other = try await http.registerClient(name: "Evil Twin", ["scopes": Self.scopes])
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let path = try await Self.consentPath(browser, client, scope: "openid")
            let forged = path + "&" + FormEncoding.encode([("client_id", other), ("scope", "openid phone email")])
            let page = try await browser.get(forged)
            #expect(page.status == .ok)
            #expect(page.text.contains("Photo Album wants access"))
            #expect(!page.text.contains("Evil Twin"))
            #expect(!page.text.contains("See your phone number"))
            // Approving stores exactly the pending request's scopes, for its client.
            let token = try #require(page.csrfFormToken)
            let answer = try await browser.post(
                "\(api)/consent",
                form: [
                    ("csrf_token", token), ("authorization_request", Self.handle(of: path)), ("decision", "approve"),
                    ("client_id", other), ("scope", "openid phone email"),
                ]
            )
            #expect(answer.status == .seeOther)
            let consent = try #require(try await server.server.consents.consent(userID: user.id, clientID: client.clientID))
            #expect(consent.scopes == ["openid"])
            #expect(try await server.server.consents.consent(userID: user.id, clientID: other) == nil)
        }
    }

    @Test(
        "when the user approves then the consent is stored with the request's scopes and the browser resumes the request",
        arguments: TestDatabase.all
    )
    func approve(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, client in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            #expect(try await server.server.consents.consent(userID: user.id, clientID: client.clientID) == nil)
            let path = try await Self.consentPath(browser, client, scope: "openid email")
            let response = try await Self.decide(browser, path, decision: "approve")
            #expect(response.status == .seeOther, "\(response.text)")
            #expect(response.location == Flow.authorizePath + "?authorization_request=" + Self.handle(of: path))
            let consent = try #require(try await server.server.consents.consent(userID: user.id, clientID: client.clientID))
            #expect(Set(consent.scopes) == ["openid", "email"])
            #expect(consent.covers(["openid"]))
            #expect(!consent.covers(["openid", "phone"]))
            let final = try await browser.get(try #require(response.location))
            #expect(final.status == .found)
            #expect(RedirectQuery(final.location)?["code"] != nil, "\(final.location ?? "")")
            // The pending request is answered once.
            let again = try await browser.get(try #require(response.location))
            expectAuthorizationErrorPage(again, "a used authorization_request handle")
        }
    }

    @Test("when the user denies then nothing is stored and the client gets access_denied", arguments: TestDatabase.all)
    func deny(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, client in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let path = try await Self.consentPath(browser, client, scope: "openid email")
            let response = try await Self.decide(browser, path, decision: "deny")
            #expect(response.status == .seeOther)
            #expect(try await server.server.consents.consents(userID: user.id).isEmpty)
            let final = try await browser.get(try #require(response.location))
            expectRedirectError(final, to: client.redirectURI, error: "access_denied", state: "xyz")
        }
    }

    @Test("when the consent form's CSRF token is missing or wrong then 403 and nothing is stored", arguments: TestDatabase.all)
    func csrfFailure(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, client in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let path = try await Self.consentPath(browser, client, scope: "openid email")
            let fields = [("authorization_request", Self.handle(of: path)), ("decision", "approve")]
            let missing = try await browser.post("\(api)/consent", form: fields)
            #expect(missing.status == .forbidden)
            let forged = try await browser.post("\(api)/consent", form: [("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] + fields)
            #expect(forged.status == .forbidden)
            // Another browser's valid token does not fit this browser's cookie.
            let otherToken = try #require(try await TestBrowser(http).get("\(api)/login").csrfFormToken)
            let crossed = try await browser.post("\(api)/consent", form: [("csrf_token", otherToken)] + fields)
            #expect(crossed.status == .forbidden)
            #expect(try await server.server.consents.consent(userID: user.id, clientID: client.clientID) == nil)
        }
    }

    @Test(
        "when the consent page names an unknown, missing or expired request then the answer is 400 and nothing is stored",
        arguments: TestDatabase.all
    )
    func unknownRequest(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, client in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            for path in ["\(api)/consent", "\(api)/consent?authorization_request=", "\(api)/consent?authorization_request=no-such-request"] {
                let page = try await browser.get(path)
                #expect(page.status == .badRequest, "\(path)")
                #expect(page.csrfFormToken == nil, "no consent form for \(path)")
            }
            let path = try await Self.consentPath(browser, client, scope: "openid email")
            server.clock.advance(by: AuthorizationEndpoint.pendingLifetime + 1)
            #expect(try await browser.get(path).status == .badRequest, "an expired pending request")
            let token = try #require(try await browser.get("\(api)/account").csrfFormToken)
            let post = try await browser.post(
                "\(api)/consent",
                form: [("csrf_token", token), ("authorization_request", Self.handle(of: path)), ("decision", "approve")]
            )
            #expect(post.status == .badRequest)
            let noDecision = try await browser.post(
                "\(api)/consent",
                form: [("csrf_token", token), ("authorization_request", Self.handle(of: path))]
            )
            #expect(noDecision.status == .badRequest)
            #expect(try await server.server.consents.consents(userID: user.id).isEmpty)
        }
    }

    @Test("when the user approves again with more scopes then the one consent widens to include them", arguments: TestDatabase.all)
    func secondApprovalWidens(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, client in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let firstPath = try await Self.consentPath(browser, client, scope: "openid email")
            #expect(try await Self.decide(browser, firstPath, decision: "approve").status == .seeOther)
            let first = try #require(try await server.server.consents.consent(userID: user.id, clientID: client.clientID))
            server.clock.advance(by: 60)
            let secondPath = try await Self.consentPath(browser, client, scope: "openid profile phone")
            #expect(try await Self.decide(browser, secondPath, decision: "approve").status == .seeOther)
            let second = try #require(try await server.server.consents.consent(userID: user.id, clientID: client.clientID))
            #expect(second.id == first.id, "a second approval made a second consent")
            #expect(Set(second.scopes) == ["openid", "email", "profile", "phone"])
            #expect(second.updatedAt > first.updatedAt)
            #expect(try await server.server.consents.consents(userID: user.id).count == 1)
        }
    }

    @Test("when another browser session posts a decision for the request then it does not count for this one", arguments: TestDatabase.all)
    func decisionBelongsToItsSession(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, client in
            _ = try await server.makeUser("mallory")
            let alice = TestBrowser(http)
            try await alice.mustSignIn("alice", goodPassword)
            let path = try await Self.consentPath(alice, client, scope: "openid email", extra: [("prompt", "consent")])
            // Mallory approves alice's pending request in her own session: a consent of hers.
            let mallory = TestBrowser(http)
            try await mallory.mustSignIn("mallory", goodPassword)
            let approved = try await Self.decide(mallory, path, decision: "approve")
            #expect(approved.status == .seeOther)
            #expect(try await server.server.consents.consent(userID: user.id, clientID: client.clientID) == nil)
            // Alice resuming is still asked (prompt=consent wants her own answer).
            let resumed = try await alice.get(try #require(approved.location))
            #expect(resumed.status == .seeOther)
            #expect(resumed.location?.hasPrefix("\(api)/consent?") == true, "\(resumed.location ?? "")")
        }
    }

    @Test("when a signed-out browser posts a decision then nothing is stored and it is sent to sign in", arguments: TestDatabase.all)
    func postWithoutSession(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, client in
            let signedIn = TestBrowser(http)
            try await signedIn.mustSignIn("alice", goodPassword)
            let path = try await Self.consentPath(signedIn, client, scope: "openid")
            let browser = TestBrowser(http)
            let token = try #require(try await browser.get("\(api)/login").csrfFormToken)
            let response = try await browser.post(
                "\(api)/consent",
                form: [("csrf_token", token), ("authorization_request", Self.handle(of: path)), ("decision", "approve")]
            )
            #expect(response.status == .seeOther)
            #expect(response.location?.hasPrefix("\(api)/login") == true)
            #expect(try await server.server.consents.consent(userID: user.id, clientID: client.clientID) == nil)
        }
    }
}
