import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The sign-in page, the account page, sign-out and browser sessions.
@Suite("Browser: login page and sessions")
struct LoginPageTests {
    /// Runs `body` with a fresh server and one user, alice, whose name is "Alice Liddell".
    static func withUser<T: Sendable>(
        _ database: TestDatabase,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestServer, any TestClientProtocol, User) async throws -> T
    ) async throws -> T {
        let server = try await TestServer.make(database, configure: configure)
        let user = try await server.makeUser("alice", name: "Alice Liddell")
        return try await server.run { http in try await body(server, http, user) }
    }

    // MARK: the page

    @Test(
        "when the login page is loaded then it is an HTML form with labelled inputs, a CSRF field and an HttpOnly SameSite=Lax CSRF cookie",
        arguments: TestDatabase.all
    )
    func loginPage(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            let response = try await http.execute(uri: "\(api)/login", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true, "\(response.headers[.contentType] ?? "nil")")
            #expect(response.headers[.cacheControl] == "no-store")
            let html = response.text
            #expect(html.contains("<html lang=\"en\">"))
            #expect(html.contains("<form method=\"post\" action=\"\(api)/login\">"), "the form posts to the login endpoint")
            // Each visible input has a label pointing at it.
            #expect(html.contains("<label for=\"username\">"))
            #expect(html.contains("id=\"username\" name=\"username\""))
            #expect(html.contains("<label for=\"password\">"))
            #expect(html.contains("type=\"password\" id=\"password\" name=\"password\""))
            #expect(html.contains("autocomplete=\"current-password\""))
            #expect(html.contains("<button type=\"submit\""))
            #expect(!html.contains("<script"), "the page needs no JavaScript")
            let token = try #require(response.csrfFormToken, "no csrf_token hidden field")
            #expect(token.count >= 32)
            #expect(html.contains("type=\"hidden\" name=\"csrf_token\""))

            let cookie = try #require(response.setCookie(named: BrowserCookieName.csrf), "no custos_csrf cookie: \(response.setCookies)")
            #expect(cookie.value.count >= 32)
            #expect(cookie.value != token, "the form token must not be the cookie value itself")
            #expect(cookie.isHttpOnly)
            #expect(cookie.sameSite?.lowercased() == "lax")
            #expect(!cookie.isSecure, "http issuer: no Secure attribute")
            #expect(response.setCookie(named: BrowserCookieName.session) == nil, "no session before sign-in")
        }
    }

    @Test("when the issuer is https then the CSRF and session cookies are Secure", arguments: TestDatabase.all)
    func secureCookies(database: TestDatabase) async throws {
        try await Self.withUser(database, configure: { $0.issuer = "https://custos.test" }) { _, http, _ in
            let browser = TestBrowser(http)
            let page = try await browser.get("\(api)/login")
            let csrf = try #require(page.setCookie(named: BrowserCookieName.csrf))
            #expect(csrf.isSecure)
            #expect(csrf.isHttpOnly)
            let token = try #require(page.csrfFormToken)
            let response = try await browser.post("\(api)/login", form: [("csrf_token", token), ("username", "alice"), ("password", goodPassword)])
            #expect(response.status == .seeOther)
            let session = try #require(response.setCookie(named: BrowserCookieName.session))
            #expect(session.isSecure)
            #expect(session.isHttpOnly)
            #expect(session.sameSite?.lowercased() == "lax")
        }
    }

    // MARK: signing in

    @Test(
        "when the right password is posted then 303 to return_to with an HttpOnly SameSite=Lax session cookie, and the account page shows the user",
        arguments: TestDatabase.all
    )
    func successfulLogin(database: TestDatabase) async throws {
        try await Self.withUser(database) { server, http, user in
            let browser = TestBrowser(http)
            let returnTo = "\(api)/oauth/authorize?client_id=abc&state=xyz"
            let response = try await browser.signIn("alice", goodPassword, returnTo: returnTo)
            #expect(response.status == .seeOther, "\(response.text)")
            #expect(response.location == returnTo)
            #expect(response.headers[.cacheControl] == "no-store")
            let session = try #require(response.setCookie(named: BrowserCookieName.session), "no session cookie: \(response.setCookies)")
            #expect(session.isHttpOnly)
            #expect(session.sameSite?.lowercased() == "lax")
            #expect(!session.isSecure)
            #expect(session.value.count >= 43, "a 256-bit session id")

            // The session is stored as a digest, not the cookie value, with pwd as its method.
            let resumed = try #require(try await server.server.sessions.resume(cookie: session.value))
            #expect(resumed.user.id == user.id)
            #expect(resumed.session.amr == ["pwd"])
            #expect(resumed.session.digest != session.value)
            #expect(abs(resumed.session.authTime.timeIntervalSince(server.clock.now)) < 1)

            let account = try await browser.get("\(api)/account")
            #expect(account.status == .ok)
            #expect(account.text.contains("Alice Liddell"), "the account page should name the user")
            #expect(!server.logs.text.contains(goodPassword), "the password was logged")
            #expect(!server.logs.text.contains(session.value), "the session cookie was logged")
        }
    }

    @Test("when the user signs in by email, in any case, then it works like the username", arguments: TestDatabase.all)
    func loginByEmail(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            let byEmail = try await TestBrowser(http).signIn("Alice@Example.com", goodPassword)
            #expect(byEmail.status == .seeOther)
            #expect(byEmail.setCookie(named: BrowserCookieName.session) != nil)
            let byUpperName = try await TestBrowser(http).signIn("ALICE", goodPassword)
            #expect(byUpperName.status == .seeOther)
        }
    }

    @Test("when no return_to is given then the sign-in goes to the account page", arguments: TestDatabase.all)
    func defaultReturnTo(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            let response = try await TestBrowser(http).signIn("alice", goodPassword)
            #expect(response.status == .seeOther)
            #expect(response.location == "\(api)/account")
        }
    }

    @Test("when a user's stored hash has weaker scrypt parameters then signing in re-hashes it at the current ones", arguments: TestDatabase.all)
    func rehashOnLogin(database: TestDatabase) async throws {
        try await Self.withUser(database) { server, http, user in
            var weak = user
            weak.passwordHash = try PasswordHasher(parameters: PasswordHasher.Parameters(logN: 8, r: 8, p: 1)).hash(goodPassword)
            try await server.server.storage.update(weak, audit: nil)
            #expect(try await server.server.storage.user(id: user.id, tenant: .default)?.passwordHash?.hasPrefix("$scrypt$ln=8,") == true)

            // A wrong password changes nothing.
            #expect(try await TestBrowser(http).signIn("alice", "not the right password").status == .unauthorized)
            #expect(try await server.server.storage.user(id: user.id, tenant: .default)?.passwordHash == weak.passwordHash)

            let response = try await TestBrowser(http).signIn("alice", goodPassword)
            #expect(response.status == .seeOther)
            let upgraded = try #require(try await server.server.storage.user(id: user.id, tenant: .default)?.passwordHash)
            #expect(upgraded.hasPrefix("$scrypt$ln=10,r=8,p=1$"), "the hash was not upgraded: \(upgraded.prefix(24))")
            // The upgraded hash still signs in.
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .seeOther)
        }
    }

    @Test("when the password is wrong or the user does not exist then 401 with the same generic message and no session", arguments: TestDatabase.all)
    func wrongPassword(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            let wrong = try await TestBrowser(http).signIn("alice", "not the right password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(wrong.alertMessage == incorrectCredentialsMessage, "\(wrong.alertMessage ?? "no alert")")
            #expect(wrong.setCookie(named: BrowserCookieName.session) == nil)
            #expect(wrong.csrfFormToken != nil, "the form is shown again")
            #expect(!wrong.text.contains("not the right password"), "the page echoes the password")

            let missing = try await TestBrowser(http).signIn("nobody-here", "not the right password")
            #expect(missing.status == wrong.status)
            #expect(missing.alertMessage == incorrectCredentialsMessage)
            #expect(missing.setCookie(named: BrowserCookieName.session) == nil)
            // Apart from the echoed username, the two pages are the same.
            #expect(
                missing.text.replacingOccurrences(of: "nobody-here", with: "alice").replacingOccurrences(
                    of: #"name="csrf_token" value="[^"]*""#,
                    with: "",
                    options: .regularExpression
                )
                    == wrong.text.replacingOccurrences(of: #"name="csrf_token" value="[^"]*""#, with: "", options: .regularExpression),
                "the pages for a wrong password and a missing user differ"
            )
        }
    }

    @Test("when the CSRF token is missing or wrong then 403 and no session is started", arguments: TestDatabase.all)
    func csrfFailure(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            let credentials = [("username", "alice"), ("password", goodPassword)]

            // No token field.
            let browser = TestBrowser(http)
            _ = try await browser.get("\(api)/login")
            let missing = try await browser.post("\(api)/login", form: credentials)
            #expect(missing.status == .forbidden)
            #expect(missing.setCookie(named: BrowserCookieName.session) == nil)

            // A made-up token.
            let forged = try await browser.post("\(api)/login", form: [("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] + credentials)
            #expect(forged.status == .forbidden)
            #expect(forged.setCookie(named: BrowserCookieName.session) == nil)

            // The token of another browser's cookie.
            let other = TestBrowser(http)
            let otherToken = try #require(try await other.get("\(api)/login").csrfFormToken)
            let crossed = try await browser.post("\(api)/login", form: [("csrf_token", otherToken)] + credentials)
            #expect(crossed.status == .forbidden)
            #expect(crossed.setCookie(named: BrowserCookieName.session) == nil)

            // A valid token but no CSRF cookie (a cross-site form post from a browser without it).
            let token = try #require(try await browser.get("\(api)/login").csrfFormToken)
            browser.setCookie(BrowserCookieName.csrf, nil)
            let noCookie = try await browser.post("\(api)/login", form: [("csrf_token", token)] + credentials)
            #expect(noCookie.status == .forbidden)
            #expect(noCookie.setCookie(named: BrowserCookieName.session) == nil)
            #expect(browser.cookie(BrowserCookieName.session) == nil)
            #expect(try await browser.isSignedIn() == false)

            // None of these counted as a failed sign-in: the right form still works.
            #expect(try await TestBrowser(http).signIn("alice", goodPassword).status == .seeOther)
        }
    }

    @Test("when return_to points elsewhere then it is replaced by the account page", arguments: TestDatabase.all)
    func openRedirectRefused(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            for target in [
                "https://evil.example/", "//evil.example", "/\\evil.example", "http://evil.example/path", "javascript:alert(1)", "evil.example",
            ] {
                let response = try await TestBrowser(http).signIn("alice", goodPassword, returnTo: target)
                #expect(response.status == .seeOther, "\(target)")
                #expect(response.location == "\(api)/account", "return_to \(target) led to \(response.location ?? "nil")")
                // The page itself does not carry the foreign target into its form either.
                let page = try await http.execute(
                    uri: "\(api)/login" + FormEncoding.query([("return_to", target)]),
                    method: .get,
                    headers: [:],
                    body: nil
                )
                #expect(HTML.hiddenValue("return_to", in: page.text) == "\(api)/account", "\(target)")
            }
        }
    }

    @Test("when the login page names a registered client then it shows the client's name", arguments: TestDatabase.all)
    func clientBranding(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            let clientID = try await http.registerClient(name: "Photo Album", ["logo_url": "https://app.example.com/logo.png"])
            let page = try await http.execute(
                uri: "\(api)/login" + FormEncoding.query([("client_id", clientID)]),
                method: .get,
                headers: [:],
                body: nil
            )
            #expect(page.status == .ok)
            #expect(page.text.contains("Photo Album"))
            #expect(page.text.contains("to continue to Photo Album"))
            #expect(page.text.contains("https://app.example.com/logo.png"))
            #expect(HTML.hiddenValue("client_id", in: page.text) == clientID)

            let unknown = try await http.execute(
                uri: "\(api)/login?client_id=no-such-client",
                method: .get,
                headers: [:],
                body: nil
            )
            #expect(unknown.status == .ok)
            #expect(!unknown.text.contains("to continue to"))
            #expect(unknown.text.contains("to your account"))

            // A failed sign-in keeps the branding.
            let failed = try await TestBrowser(http).signIn("alice", "not the right password", clientID: clientID)
            #expect(failed.status == .unauthorized)
            #expect(failed.text.contains("to continue to Photo Album"))
        }
    }

    @Test("when a client's name contains HTML then the page escapes it", arguments: TestDatabase.all)
    func escapesClientName(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            let clientID = try await http.registerClient(name: "<script>alert('x')</script> & Co")
            let page = try await http.execute(
                uri: "\(api)/login" + FormEncoding.query([("client_id", clientID)]),
                method: .get,
                headers: [:],
                body: nil
            )
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>"), "the client name was not escaped")
            #expect(page.text.contains("&lt;script&gt;"))
            // An echoed username is escaped too.
            let failed = try await TestBrowser(http).signIn("\"><script>x</script>", "not the right password")
            #expect(!failed.text.contains("<script>x"), "the echoed username was not escaped")
        }
    }

    // MARK: sign-out and session lifetime

    @Test("when the user signs out with the CSRF token then the session ends and /account redirects to sign-in", arguments: TestDatabase.all)
    func logout(database: TestDatabase) async throws {
        try await Self.withUser(database) { server, http, _ in
            let browser = TestBrowser(http)
            let cookie = try await browser.mustSignIn("alice", goodPassword)
            #expect(try await browser.isSignedIn())

            // Without the token, nothing happens.
            let refused = try await browser.post("\(api)/logout", form: [])
            #expect(refused.status == .forbidden)
            #expect(try await browser.isSignedIn())

            let response = try await browser.submit(from: "\(api)/account", to: "\(api)/logout", [])
            #expect(response.status == .seeOther)
            #expect(response.location == "\(api)/login")
            let cleared = try #require(response.setCookie(named: BrowserCookieName.session), "the session cookie is not cleared")
            #expect(cleared.isRemoval)

            #expect(try await browser.isSignedIn() == false)
            // Even a browser that kept the old cookie is signed out: the server deleted the session.
            #expect(try await server.server.sessions.resume(cookie: cookie) == nil)
            let replay = TestBrowser(http)
            replay.setCookie(BrowserCookieName.session, cookie)
            #expect(try await replay.isSignedIn() == false)
        }
    }

    @Test("when the user is signed in then GET /login goes straight to return_to, unless prompt=login", arguments: TestDatabase.all)
    func alreadySignedIn(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            let page = try await browser.get("\(api)/login?return_to=%2Fapi%2Fv1%2Fconsent")
            #expect(page.status == .seeOther)
            #expect(page.location == "\(api)/consent")
            let forced = try await browser.get("\(api)/login?prompt=login")
            #expect(forced.status == .ok)
            #expect(forced.csrfFormToken != nil)
        }
    }

    @Test("when a session is unused for more than the idle timeout (1 h) then it ends; use keeps it alive", arguments: TestDatabase.all)
    func idleTimeout(database: TestDatabase) async throws {
        try await Self.withUser(database) { server, http, _ in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            // Use at 30 and 75 minutes: never an hour apart, so the session lives on.
            server.clock.advance(by: 30 * 60)
            #expect(try await browser.isSignedIn())
            server.clock.advance(by: 45 * 60)
            #expect(try await browser.isSignedIn(), "use within the idle timeout should keep the session")
            // Then an hour and a second without use.
            server.clock.advance(by: 3_601)
            #expect(try await browser.isSignedIn() == false, "the session outlived its idle timeout")

            // A fresh session just under the idle timeout still works.
            let second = TestBrowser(http)
            try await second.mustSignIn("alice", goodPassword)
            server.clock.advance(by: 3_590)
            #expect(try await second.isSignedIn())
        }
    }

    @Test("when a session reaches its absolute lifetime (24 h) then it ends even if used all along", arguments: TestDatabase.all)
    func absoluteLifetime(database: TestDatabase) async throws {
        try await Self.withUser(database) { server, http, _ in
            let browser = TestBrowser(http)
            try await browser.mustSignIn("alice", goodPassword)
            // Used every 50 minutes: at 28 × 50 = 1400 minutes it still works…
            for step in 1...28 {
                server.clock.advance(by: 50 * 60)
                let signedIn = try await browser.isSignedIn()
                #expect(signedIn, "step \(step): the session ended early")
                if !signedIn { return }
            }
            // …at 1450 minutes (past 24 h) it does not.
            server.clock.advance(by: 50 * 60)
            #expect(try await browser.isSignedIn() == false, "the session outlived its absolute lifetime")
        }
    }

    @Test("when the session cookie is forged then the user is not signed in", arguments: TestDatabase.all)
    func forgedSession(database: TestDatabase) async throws {
        try await Self.withUser(database) { _, http, _ in
            let browser = TestBrowser(http)
            browser.setCookie(BrowserCookieName.session, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            let wellFormed = try await browser.isSignedIn()
            #expect(wellFormed == false)
            browser.setCookie(BrowserCookieName.session, "not-a-session-at-all")
            let garbage = try await browser.isSignedIn()
            #expect(garbage == false)
        }
    }
}
