import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The hints and session requirements of the authorization request (OpenID Connect Core
/// §3.1.2.1): `login_hint` prefills the sign-in page, `id_token_hint` of another user than the
/// signed-in one asks for a new sign-in, `prompt=select_account` shows the sign-in page, and a
/// client's registered `default_max_age` (OpenID Connect Registration §2) works as max_age.
@Suite("OpenID: authorization hints")
struct AuthorizationHintsTests {
    /// The `value` of the sign-in form's username field, unescaped.
    static func usernameField(_ page: TestResponse) -> String? {
        HTML.firstMatch(#"name="username" value="([^"]*)""#, in: page.text).map(HTML.unescape)
    }

    /// A second user, "bob", signed in through the core: the flow context of his browser.
    static func bob(_ openID: OpenIDContext) async throws -> FlowContext {
        let bob = try await openID.server.makeUser("bob", name: "Bob Builder")
        let (_, cookie) = try await openID.server.server.sessions.start(for: bob, amr: ["pwd"])
        return FlowContext(server: openID.server, http: openID.http, user: bob, sessionCookie: cookie)
    }

    /// Expects the sign-in page with its form: 200 HTML with a CSRF token and a username field
    /// (and not a redirect elsewhere, e.g. straight back to the authorization endpoint).
    static func expectSignInForm(_ page: TestResponse, _ comment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(
            page.status == .ok,
            "\(comment): expected the sign-in form, got \(page.status) to \(page.location ?? "nowhere")",
            sourceLocation: sourceLocation
        )
        #expect(page.isHTML, "\(comment)", sourceLocation: sourceLocation)
        #expect(page.csrfFormToken != nil, "\(comment): no form on the page", sourceLocation: sourceLocation)
        #expect(usernameField(page) != nil, "\(comment): no username field", sourceLocation: sourceLocation)
    }

    /// Expects a 303 to the sign-in page (no code); returns the Location.
    @discardableResult
    static func expectLoginRedirect(
        _ response: TestResponse,
        _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        try #require(
            response.status == .seeOther,
            "\(comment): \(response.status) \(response.location ?? response.text)",
            sourceLocation: sourceLocation
        )
        let location = try #require(response.location, sourceLocation: sourceLocation)
        #expect(URLComponents(string: location)?.path == "\(api)/login", "\(comment): \(location)", sourceLocation: sourceLocation)
        #expect(!location.contains("code="), "\(comment): \(location)", sourceLocation: sourceLocation)
        return location
    }

    /// The `return_to` of a sign-in redirect.
    static func returnTo(_ location: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(
            URLComponents(string: location)?.queryItems?.first { $0.name == "return_to" }?.value,
            "no return_to in \(location)",
            sourceLocation: sourceLocation
        )
    }

    // MARK: login_hint

    @Test(
        "when login_hint is sent without a session then the sign-in page it leads to shows the hint in the username field",
        arguments: TestDatabase.all
    )
    func loginHintPrefills(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let response = try await openID.flow.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["login_hint": "alice@example.com"]),
                signedIn: false
            )
            let location = try Self.expectLoginRedirect(response, "no session")
            let page = try await TestBrowser(openID.http).get(location)
            try Self.expectSignInForm(page, "login page after login_hint")
            #expect(Self.usernameField(page) == "alice@example.com", "username field: \(Self.usernameField(page) ?? "nil")")
        }
    }

    @Test("when login_hint carries HTML then the sign-in page shows it escaped, never as markup", arguments: TestDatabase.all)
    func loginHintEscaped(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let hint = #""><script>alert(1)</script>"#
            let response = try await openID.flow.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["login_hint": hint]),
                signedIn: false
            )
            let page = try await TestBrowser(openID.http).get(try Self.expectLoginRedirect(response, "no session"))
            try Self.expectSignInForm(page, "login page")
            #expect(!page.text.contains("<script>alert(1)"), "the hint was rendered as markup")
            #expect(Self.usernameField(page) == hint, "the field holds the hint as text: \(Self.usernameField(page) ?? "nil")")
        }
    }

    // MARK: id_token_hint

    @Test(
        "when the id_token_hint names user A while the browser is signed in as B then a new sign-in is required and the page shows the form",
        arguments: TestDatabase.all
    )
    func idTokenHintOfAnotherUser(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let (aliceHint, _, _) = try await openID.idToken(for: client, scope: "openid")
            let bob = try await Self.bob(openID)
            try await bob.consent(client)
            // Control: without the hint, Bob's session gets a code straight away.
            let plain = try await bob.authorize(FlowContext.parameters(for: client, scope: "openid"))
            #expect(plain.status == .found && RedirectQuery(plain.location)?["code"] != nil, "\(plain.status) \(plain.location ?? "")")

            openID.clock.advance(by: 5)
            let response = try await bob.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["id_token_hint": aliceHint])
            )
            let location = try Self.expectLoginRedirect(response, "Alice's hint in Bob's browser")

            // Bob's browser follows: it must be able to sign in as Alice, not be sent back to the
            // authorization endpoint (which would send it here again, without end).
            let browser = TestBrowser(openID.http)
            browser.setCookie(BrowserCookieName.session, bob.sessionCookie)
            let page = try await browser.get(location)
            try Self.expectSignInForm(page, "the sign-in page for Alice's hint with Bob's session")

            // Signing in there as Alice completes the request for Alice.
            let returnTo = try Self.returnTo(location)
            openID.clock.advance(by: 1)
            let signIn = try await browser.post(
                "\(api)/login",
                form: [("csrf_token", try #require(page.csrfFormToken)), ("username", "alice"), ("password", goodPassword), ("return_to", returnTo)]
            )
            #expect(signIn.status == .seeOther && signIn.location == returnTo, "\(signIn.status) \(signIn.location ?? "")")
            let back = try await browser.get(returnTo)
            let code = try #require(
                RedirectQuery(back.location)?["code"],
                "no code after signing in as Alice: \(back.status) \(back.location ?? "nil")"
            )
            let redeemed = try await openID.flow.redeem(code, client: client)
            let idToken = try #require(redeemed.string("id_token"), "\(redeemed.text)")
            #expect(try verifyJWT(idToken, keys: openID.keys).claims["sub"] as? String == openID.user.id)
        }
    }

    @Test("when the id_token_hint names another user and prompt=none then the client gets login_required", arguments: TestDatabase.all)
    func idTokenHintOfAnotherUserSilent(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let (aliceHint, _, _) = try await openID.idToken(for: client, scope: "openid")
            let bob = try await Self.bob(openID)
            try await bob.consent(client)
            let response = try await bob.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["id_token_hint": aliceHint, "prompt": "none"])
            )
            expectRedirectError(response, to: client.redirectURI, error: "login_required", "Alice's hint, Bob's session, prompt=none")
        }
    }

    @Test(
        "when the id_token_hint names the signed-in user then a code is issued without a sign-in, even after the hint expired",
        arguments: TestDatabase.all
    )
    func idTokenHintOfSameUser(database: TestDatabase) async throws {
        try await withOpenID(database, configure: { $0.sessionIdleTimeout = 86_400 }) { openID in
            let client = try await openID.flow.makeClient()
            let (hint, token, _) = try await openID.idToken(for: client, scope: "openid")
            let parameters = FlowContext.parameters(for: client, scope: "openid", replacing: ["id_token_hint": hint, "prompt": "none"])
            let fresh = try await openID.flow.authorize(parameters)
            #expect(RedirectQuery(fresh.location)?["code"] != nil, "\(fresh.status) \(fresh.location ?? "")")

            // Core §3.1.2.1: the hint is about a current or past session; its exp does not matter.
            let exp = try #require(token.claims["exp"] as? Int)
            openID.clock.advance(by: TimeInterval(exp - Int(openID.clock.now.timeIntervalSince1970) + 60))
            let expired = try await openID.flow.authorize(parameters)
            #expect(RedirectQuery(expired.location)?["code"] != nil, "expired hint: \(expired.status) \(expired.location ?? "")")
        }
    }

    @Test(
        "when the id_token_hint is not an ID token of this server then the client gets invalid_request with state and iss",
        arguments: TestDatabase.all
    )
    func malformedIdTokenHint(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            try await openID.flow.consent(client)
            let (validHint, _, accessToken) = try await openID.idToken(for: client, scope: "openid")
            let parts = validHint.split(separator: ".").map(String.init)
            let stranger = try SigningKey.generate(.ES256)
            let forged = try signedJWT(
                header: ["alg": "ES256", "kid": stranger.kid, "typ": "JWT"],
                payload: try jwtSegments(validHint).payload,
                key: stranger
            )
            let cases: [(String, String)] = [
                ("not-a-jwt", "garbage"),
                (parts[0] + "." + parts[1] + ".AAAA", "a broken signature"),
                (forged, "signed by a stranger's key"),
                (accessToken, "an access token (typ at+jwt)"),
            ]
            for (hint, comment) in cases {
                let response = try await openID.flow.authorize(
                    FlowContext.parameters(for: client, scope: "openid", replacing: ["id_token_hint": hint])
                )
                expectRedirectError(response, to: client.redirectURI, error: "invalid_request", comment)
            }
        }
    }

    // MARK: prompt=select_account

    @Test(
        "when prompt=select_account is sent with a session then the browser is sent to the sign-in page, and the page shows the form",
        arguments: TestDatabase.all
    )
    func selectAccount(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            try await openID.flow.consent(client)
            // Time passes between the sign-in and the request, as it does for real users.
            openID.clock.advance(by: 5)
            let response = try await openID.flow.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["prompt": "select_account"])
            )
            let location = try Self.expectLoginRedirect(response, "prompt=select_account with a session")
            // The browser follows: the page must offer a sign-in, not bounce back to the
            // authorization endpoint (which would send it here again, without end).
            let page = try await openID.browser().get(location)
            try Self.expectSignInForm(page, "the sign-in page for select_account with a session")
        }
    }

    @Test("when prompt=select_account leads to a sign-in then the authorization completes with the account chosen", arguments: TestDatabase.all)
    func selectAccountCompletes(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let bob = try await Self.bob(openID)
            try await bob.consent(client)
            let response = try await openID.flow.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["prompt": "select_account"])
            )
            let returnTo = try Self.returnTo(try Self.expectLoginRedirect(response, "select_account"))
            // Alice's browser picks Bob's account.
            let browser = openID.browser()
            openID.clock.advance(by: 1)
            let signIn = try await browser.signIn("bob", goodPassword, returnTo: returnTo, clientID: client.clientID)
            #expect(signIn.status == .seeOther && signIn.location == returnTo, "\(signIn.status) \(signIn.location ?? "")")
            let back = try await browser.get(returnTo)
            #expect(back.status == .found, "\(back.status) \(back.location ?? "")")
            let code = try #require(RedirectQuery(back.location)?["code"], "no code after choosing: \(back.location ?? "nil")")
            let redeemed = try await openID.flow.redeem(code, client: client)
            let idToken = try #require(redeemed.string("id_token"), "\(redeemed.text)")
            #expect(try verifyJWT(idToken, keys: openID.keys).claims["sub"] as? String == bob.user.id)
        }
    }

    // MARK: default_max_age

    @Test(
        "when a client registered default_max_age 60 through DCR then at 59 s a code is issued and at 61 s a new sign-in is required",
        arguments: TestDatabase.all
    )
    func defaultMaxAge(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let registered = try await Registration.register(openID.http, ["default_max_age": 60])
            let client = registered.flowClient
            try await openID.flow.consent(client)
            let parameters = FlowContext.parameters(for: client, scope: "openid")

            openID.clock.advance(by: 59)
            let within = try await openID.flow.authorize(parameters)
            let code = try #require(RedirectQuery(within.location)?["code"], "59 s: \(within.status) \(within.location ?? "")")
            let redeemed = try await openID.flow.redeem(code, client: client)
            let idToken = try #require(redeemed.string("id_token"), "\(redeemed.text)")
            #expect(try verifyJWT(idToken, keys: openID.keys).claims["auth_time"] as? Int == openID.sessionAuthTime)

            openID.clock.advance(by: 2)
            try IDTokenTests.expectSignInRedirect(try await openID.flow.authorize(parameters), "61 s with default_max_age 60")
            let silent = try await openID.flow.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["prompt": "none"])
            )
            expectRedirectError(silent, to: client.redirectURI, error: "login_required", "61 s, prompt=none")
        }
    }

    @Test("when the request's max_age is longer than the client's default_max_age then the request's value applies", arguments: TestDatabase.all)
    func maxAgeOverridesDefault(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let registered = try await Registration.register(openID.http, ["default_max_age": 60])
            let client = registered.flowClient
            try await openID.flow.consent(client)
            openID.clock.advance(by: 61)
            let response = try await openID.flow.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["max_age": "3600"])
            )
            #expect(RedirectQuery(response.location)?["code"] != nil, "\(response.status) \(response.location ?? "")")
        }
    }
}
