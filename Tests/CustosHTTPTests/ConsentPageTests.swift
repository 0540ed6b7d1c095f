import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The consent page: the signed-in user sees a client's requested scopes in plain words and
/// approves or denies; the decision sends the browser back to `return_to`.
@Suite("Browser: consent page")
struct ConsentPageTests {
    static let returnTo = "\(api)/oauth/authorize?client_id=photo&state=s1"

    /// The consent page URL for `clientID` and `scope`.
    static func consentPath(clientID: String, scope: String, returnTo: String = ConsentPageTests.returnTo) -> String {
        "\(api)/consent" + FormEncoding.query([("client_id", clientID), ("scope", scope), ("return_to", returnTo)])
    }

    /// A server with alice (named "Alice Liddell") and a registered client "Photo Album".
    static func withClient<T: Sendable>(
        _ database: TestDatabase, _ body: @Sendable (TestServer, any TestClientProtocol, User, String) async throws -> T
    ) async throws -> T {
        let server = try await TestServer.make(database)
        let user = try await server.makeUser("alice", name: "Alice Liddell")
        return try await server.run { http in
            let clientID = try await http.registerClient(name: "Photo Album")
            return try await body(server, http, user, clientID)
        }
    }

    /// Loads the consent page and posts `decision` with its form fields.
    static func decide(
        _ browser: TestBrowser, clientID: String, scope: String, decision: String, returnTo: String = ConsentPageTests.returnTo,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        try await browser.submit(
            from: consentPath(clientID: clientID, scope: scope, returnTo: returnTo), to: "\(api)/consent",
            [("client_id", clientID), ("scope", scope), ("return_to", returnTo), ("decision", decision)],
            sourceLocation: sourceLocation)
    }

    @Test("when the consent page is opened without a session then it redirects (303) to sign-in with return_to back to it", arguments: TestDatabase.all)
    func redirectsToLogin(database: TestDatabase) async throws {
        try await Self.withClient(database) { _, http, _, clientID in
            let path = Self.consentPath(clientID: clientID, scope: "openid email")
            let browser = TestBrowser(http)
            let response = try await browser.get(path)
            #expect(response.status == .seeOther)
            let location = try #require(response.location)
            let components = try #require(URLComponents(string: location))
            #expect(components.path == "\(api)/login", "\(location)")
            let items = components.queryItems ?? []
            let back = try #require(items.first { $0.name == "return_to" }?.value, "no return_to in \(location)")
            #expect(back == path, "return_to \(back) should lead back to the consent page \(path)")
            #expect(items.first { $0.name == "client_id" }?.value == clientID)

            // Following it: the login page carries the consent URL and signing in lands there.
            let login = try await browser.get(location)
            #expect(login.status == .ok)
            #expect(HTML.hiddenValue("return_to", in: login.text) == path)
            #expect(login.text.contains("Photo Album"), "the login page is branded for the client")
            let token = try #require(login.csrfFormToken)
            let signedIn = try await browser.post(
                "\(api)/login",
                form: [("csrf_token", token), ("username", "alice"), ("password", goodPassword), ("return_to", path), ("client_id", clientID)])
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == path)
            let consent = try await browser.get(path)
            #expect(consent.status == .ok)
        }
    }

    @Test("when a signed-in user opens the consent page then it shows the client's name and each scope in plain words", arguments: TestDatabase.all)
    func pageListsScopes(database: TestDatabase) async throws {
        try await Self.withClient(database) { _, http, _, clientID in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let response = try await browser.get(Self.consentPath(clientID: clientID, scope: "openid email profile"))
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
            #expect(html.contains("name=\"decision\" value=\"approve\""))
            #expect(html.contains("name=\"decision\" value=\"deny\""))
            #expect(response.csrfFormToken != nil)
            #expect(HTML.hiddenValue("scope", in: html) == "openid email profile")
            #expect(HTML.hiddenValue("client_id", in: html) == clientID)
            #expect(HTML.hiddenValue("return_to", in: html) == Self.returnTo)
        }
    }

    @Test("when the user approves then the consent is stored with the scopes and the browser goes to return_to", arguments: TestDatabase.all)
    func approve(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, clientID in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            #expect(try await server.server.consents.consent(userID: user.id, clientID: clientID) == nil)
            let response = try await Self.decide(browser, clientID: clientID, scope: "openid email", decision: "approve")
            #expect(response.status == .seeOther, "\(response.text)")
            // Back to return_to, which may be marked as approved (never as denied).
            #expect(
                response.location == Self.returnTo || response.location == Self.returnTo + "&consent=given",
                "\(response.location ?? "nil")")
            let consent = try #require(try await server.server.consents.consent(userID: user.id, clientID: clientID))
            #expect(Set(consent.scopes) == ["openid", "email"])
            #expect(consent.userID == user.id)
            #expect(consent.clientID == clientID)
            #expect(consent.revokedAt == nil)
            #expect(consent.covers(["openid"]))
            #expect(!consent.covers(["openid", "phone"]))
        }
    }

    @Test("when the user denies then the browser goes to return_to with consent=denied and nothing is stored", arguments: TestDatabase.all)
    func deny(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, clientID in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let response = try await Self.decide(browser, clientID: clientID, scope: "openid email", decision: "deny")
            #expect(response.status == .seeOther)
            #expect(response.location == Self.returnTo + "&consent=denied")
            #expect(try await server.server.consents.consent(userID: user.id, clientID: clientID) == nil)
            #expect(try await server.server.consents.consents(userID: user.id).isEmpty)

            // A return_to without a query gets one.
            let plain = try await Self.decide(browser, clientID: clientID, scope: "openid", decision: "deny", returnTo: "\(api)/account")
            #expect(plain.location == "\(api)/account?consent=denied")
        }
    }

    @Test("when the consent form's CSRF token is missing or wrong then 403 and nothing is stored", arguments: TestDatabase.all)
    func csrfFailure(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, clientID in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let fields = [("client_id", clientID), ("scope", "openid email"), ("return_to", Self.returnTo), ("decision", "approve")]
            let missing = try await browser.post("\(api)/consent", form: fields)
            #expect(missing.status == .forbidden)
            let forged = try await browser.post("\(api)/consent", form: [("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] + fields)
            #expect(forged.status == .forbidden)
            // Another browser's valid token does not fit this browser's cookie.
            let otherToken = try #require(try await TestBrowser(http).get("\(api)/login").csrfFormToken)
            let crossed = try await browser.post("\(api)/consent", form: [("csrf_token", otherToken)] + fields)
            #expect(crossed.status == .forbidden)
            #expect(try await server.server.consents.consent(userID: user.id, clientID: clientID) == nil)
        }
    }

    @Test("when the consent page names an unknown client then the answer is 400 and nothing is stored", arguments: TestDatabase.all)
    func unknownClient(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, _ in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let page = try await browser.get(Self.consentPath(clientID: "no-such-client", scope: "openid"))
            #expect(page.status == .badRequest)
            #expect(page.csrfFormToken == nil, "no consent form for an unknown client")
            // Posting a decision for it is refused as well.
            let token = try #require(try await browser.get("\(api)/account").csrfFormToken)
            let post = try await browser.post(
                "\(api)/consent",
                form: [("csrf_token", token), ("client_id", "no-such-client"), ("scope", "openid"), ("return_to", Self.returnTo), ("decision", "approve")])
            #expect(post.status == .badRequest)
            #expect(try await server.server.consents.consents(userID: user.id).isEmpty)
        }
    }

    @Test("when the consent request is incomplete or points elsewhere then the answer is 400", arguments: TestDatabase.all)
    func incompleteRequest(database: TestDatabase) async throws {
        try await Self.withClient(database) { _, http, _, clientID in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let noScope = try await browser.get("\(api)/consent" + FormEncoding.query([("client_id", clientID), ("return_to", Self.returnTo)]))
            #expect(noScope.status == .badRequest)
            let foreign = try await browser.get(Self.consentPath(clientID: clientID, scope: "openid", returnTo: "https://evil.example/cb"))
            #expect(foreign.status == .badRequest, "a foreign return_to must not be accepted")
            let noDecision = try await browser.submit(
                from: Self.consentPath(clientID: clientID, scope: "openid"), to: "\(api)/consent",
                [("client_id", clientID), ("scope", "openid"), ("return_to", Self.returnTo)])
            #expect(noDecision.status == .badRequest)
        }
    }

    @Test("when the user approves again with more scopes then the one consent widens to include them", arguments: TestDatabase.all)
    func secondApprovalWidens(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, clientID in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            #expect(try await Self.decide(browser, clientID: clientID, scope: "openid email", decision: "approve").status == .seeOther)
            let first = try #require(try await server.server.consents.consent(userID: user.id, clientID: clientID))
            server.clock.advance(by: 60)
            #expect(try await Self.decide(browser, clientID: clientID, scope: "openid profile phone", decision: "approve").status == .seeOther)
            let second = try #require(try await server.server.consents.consent(userID: user.id, clientID: clientID))
            #expect(second.id == first.id, "a second approval made a second consent")
            #expect(Set(second.scopes) == ["openid", "email", "profile", "phone"])
            #expect(second.updatedAt > first.updatedAt)
            let all = try await server.server.consents.consents(userID: user.id)
            #expect(all.count == 1)
        }
    }

    @Test("when a signed-out browser posts a decision then nothing is stored and it is sent to sign in", arguments: TestDatabase.all)
    func postWithoutSession(database: TestDatabase) async throws {
        try await Self.withClient(database) { server, http, user, clientID in
            let browser = TestBrowser(http)
            let token = try #require(try await browser.get("\(api)/login").csrfFormToken)
            let response = try await browser.post(
                "\(api)/consent",
                form: [("csrf_token", token), ("client_id", clientID), ("scope", "openid"), ("return_to", Self.returnTo), ("decision", "approve")])
            #expect(response.status == .seeOther)
            #expect(response.location?.hasPrefix("\(api)/login") == true)
            #expect(try await server.server.consents.consent(userID: user.id, clientID: clientID) == nil)
        }
    }
}
