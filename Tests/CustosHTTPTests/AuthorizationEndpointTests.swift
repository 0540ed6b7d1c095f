import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET`/`POST /oauth/authorize` (RFC 6749 §4.1.1, OAuth 2.1 §4.1, RFC 9207, RFC 9700 §4.1.3):
/// untrusted client or redirect URI → error page; everything else → redirect with error,
/// state and iss; PKCE S256 mandatory; sign-in and consent; response modes.
@Suite("Authorization endpoint")
struct AuthorizationEndpointTests {
    typealias Context = FlowContext

    // MARK: The whole flow through the pages

    @Test(
        "when a signed-out browser runs the flow through login and consent pages then the client gets a code that redeems",
        arguments: TestDatabase.all
    )
    func fullBrowserFlow(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let browser = TestBrowser(flow.http)
            let start = Flow.authorizePath + "?" + FormEncoding.encode(Context.parameters(for: client, scope: "openid email", state: "s-1"))

            // 1. No session: 303 to the login page with return_to back to the request.
            let first = try await browser.get(start)
            #expect(first.status == .seeOther, "\(first.status) \(first.text)")
            let toLogin = try #require(first.location)
            let loginComponents = try #require(URLComponents(string: toLogin))
            #expect(loginComponents.path == "\(api)/login", "\(toLogin)")
            #expect(first.headers[.location]?.contains("code=") == false)
            let returnTo = try #require(loginComponents.queryItems?.first { $0.name == "return_to" }?.value, "\(toLogin)")
            #expect(returnTo.hasPrefix(Flow.authorizePath + "?"), "\(returnTo)")

            // 2. Sign in (CSRF-protected form) → 303 back to the authorization request.
            let login = try await browser.signIn("alice", goodPassword, returnTo: returnTo, clientID: client.clientID)
            #expect(login.status == .seeOther, "sign-in: \(login.status) \(login.alertMessage ?? "")")
            let back = try #require(login.location)
            #expect(back == returnTo)

            // 3. Signed in, no consent yet: 303 to the consent page.
            let second = try await browser.get(back)
            #expect(second.status == .seeOther, "\(second.status) \(second.text)")
            let toConsent = try #require(second.location)
            let consentComponents = try #require(URLComponents(string: toConsent))
            #expect(consentComponents.path == "\(api)/consent", "\(toConsent)")
            let handle = try #require(consentComponents.queryItems?.first { $0.name == "authorization_request" }?.value)
            #expect(returnTo == Flow.authorizePath + "?authorization_request=" + handle, "one pending request throughout")

            // 4. Approve on the consent page → 303 back to the pending authorization request.
            let decision = try await browser.submit(
                from: toConsent,
                to: "\(api)/consent",
                [("authorization_request", handle), ("decision", "approve")]
            )
            #expect(decision.status == .seeOther, "\(decision.status) \(decision.text)")
            let resumed = try #require(decision.location)
            #expect(resumed == returnTo, "\(resumed)")

            // 5. Back at the endpoint: 302 to the client with code, state and iss.
            let final = try await browser.get(resumed)
            #expect(final.status == .found, "\(final.status) \(final.text)")
            let query = try #require(RedirectQuery(final.location))
            #expect(query.base == client.redirectURI)
            #expect(query["state"] == "s-1")
            #expect(query["iss"] == Flow.issuer)
            let code = try #require(query["code"])

            let tokens = try await flow.redeem(code, client: client)
            #expect(tokens.status == .ok, "\(tokens.text)")
            let access = try #require(tokens.string("access_token"))
            #expect(try jwtSegments(access).payload["sub"] as? String == flow.user.id)
            #expect(tokens.string("scope") == "openid email")
        }
    }

    // MARK: Untrusted client or redirect URI: error page, never a redirect

    @Test("when client_id is unknown or missing then an error page is shown and nothing is redirected", arguments: TestDatabase.all)
    func unknownOrMissingClient(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let unknown = try await flow.authorize(Context.parameters(for: client, replacing: ["client_id": "no-such-client"]))
            expectAuthorizationErrorPage(unknown, "unknown client_id")
            let missing = try await flow.authorize(Context.parameters(for: client, replacing: ["client_id": nil]))
            expectAuthorizationErrorPage(missing, "missing client_id")
            let empty = try await flow.authorize(Context.parameters(for: client, replacing: ["client_id": ""]))
            expectAuthorizationErrorPage(empty, "empty client_id")
            // Control: the same request with the real client_id succeeds.
            let control = try await flow.authorize(Context.parameters(for: client))
            #expect(control.status == .found && RedirectQuery(control.location)?["code"] != nil, "control: \(control.location ?? control.text)")
        }
    }

    static let nearMisses: [(String, String)] = [
        ("trailing slash", "https://app.example.com/cb/"),
        ("upper-case host", "https://APP.example.com/cb"),
        ("upper-case path", "https://app.example.com/CB"),
        ("extra query", "https://app.example.com/cb?x=1"),
        ("empty query", "https://app.example.com/cb?"),
        ("dot-dot path", "https://app.example.com/cb/../cb"),
        ("dot-dot path elsewhere", "https://app.example.com/x/../cb"),
        ("percent-encoded dots", "https://app.example.com/x/%2e%2e/cb"),
        ("percent-encoded path", "https://app.example.com/%63b"),
        ("userinfo pointing elsewhere", "https://app.example.com@evil.example/cb"),
        ("userinfo before the host", "https://evil.example@app.example.com/cb"),
        ("port change", "https://app.example.com:8443/cb"),
        ("explicit default port", "https://app.example.com:443/cb"),
        ("http instead of https", "http://app.example.com/cb"),
        ("fragment", "https://app.example.com/cb#x"),
        ("suffix host", "https://app.example.com.evil.example/cb"),
        ("another host", "https://evil.example/cb"),
    ]

    @Test("when redirect_uri is a near-miss of the registered one then an error page is shown and nothing is redirected", arguments: TestDatabase.all)
    func redirectNearMisses(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            for (name, uri) in Self.nearMisses {
                let response = try await flow.authorize(Context.parameters(for: client, replacing: ["redirect_uri": uri]))
                expectAuthorizationErrorPage(response, name)
            }
            // An error that would otherwise be redirected (bad scope) is not redirected either.
            let badScope = try await flow.authorize(
                Context.parameters(for: client, scope: "openid not_a_scope", replacing: ["redirect_uri": "https://evil.example/cb"])
            )
            expectAuthorizationErrorPage(badScope, "invalid scope with an unregistered redirect_uri")
            // Control: the exact registered URI works.
            let control = try await flow.authorize(Context.parameters(for: client))
            #expect(control.status == .found, "control: \(control.text)")
            #expect(RedirectQuery(control.location)?.base == Flow.redirectURI)
        }
    }

    @Test("when the registered redirect URI has a query then only that exact query matches", arguments: TestDatabase.all)
    func registeredQuery(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let registered = "https://app.example.com/cb?a=1"
            let client = try await flow.makeClient(["redirect_uris": [registered]])
            try await flow.consent(client)
            for uri in ["https://app.example.com/cb?a=2", "https://app.example.com/cb?a=1&b=2", "https://app.example.com/cb"] {
                expectAuthorizationErrorPage(try await flow.authorize(Context.parameters(for: client, replacing: ["redirect_uri": uri])), uri)
            }
            let control = try await flow.authorize(Context.parameters(for: client))
            #expect(control.status == .found)
            let location = try #require(control.location)
            #expect(location.hasPrefix(registered + "&code="), "the code is appended to the registered query: \(location)")
            #expect(RedirectQuery(location)?["a"] == "1")
            #expect(RedirectQuery(location)?.count(of: "a") == 1)
        }
    }

    @Test(
        "when a client with two redirect URIs sends none then an error page is shown; with one registered it may be omitted",
        arguments: TestDatabase.all
    )
    func omittedRedirectURI(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let two = try await flow.makeClient(["redirect_uris": [Flow.redirectURI, "https://app.example.com/other"]], name: "Two URIs")
            try await flow.consent(two)
            let ambiguous = try await flow.authorize(Context.parameters(for: two, replacing: ["redirect_uri": nil]))
            expectAuthorizationErrorPage(ambiguous, "two registered, none sent")
            // Either of the two, sent explicitly, works.
            let second = try await flow.authorize(Context.parameters(for: two, replacing: ["redirect_uri": "https://app.example.com/other"]))
            #expect(RedirectQuery(second.location)?.base == "https://app.example.com/other", "\(second.location ?? second.text)")

            let one = try await flow.makeClient(name: "One URI")
            let code = try await flow.code(for: one, replacing: ["redirect_uri": nil])
            // Not sent at /authorize, so not sent at /token either (RFC 6749 §4.1.3).
            let redeemed = try await flow.redeem(code, client: one, redirectURI: .some(nil))
            #expect(redeemed.status == .ok, "\(redeemed.text)")
        }
    }

    @Test(
        "when a public native client registered http://127.0.0.1/cb sends any port then it matches; a confidential client's does not",
        arguments: TestDatabase.all
    )
    func loopbackAnyPort(database: TestDatabase) async throws {
        try await withFlow(database, configure: { $0.allowsLoopbackHTTPRedirects = true }) { flow in
            let native = try await flow.makePublicClient(["redirect_uris": ["http://127.0.0.1/cb"]])
            try await flow.consent(native)
            for port in ["51234", "8080", "1"] {
                let uri = "http://127.0.0.1:\(port)/cb"
                let response = try await flow.authorize(Context.parameters(for: native, replacing: ["redirect_uri": uri]))
                #expect(response.status == .found, "\(uri): \(response.text)")
                let query = RedirectQuery(response.location)
                #expect(query?.base == uri, "the response goes to the port the client listens on: \(response.location ?? "")")
                #expect(query?["code"] != nil)
            }
            // Any port, but not any path, host or query.
            for uri in [
                "http://127.0.0.1:51234/cb/", "http://127.0.0.1:51234/other", "http://127.0.0.2:51234/cb",
                "http://127.0.0.1:51234/cb?x=1", "http://localhost:51234/cb", "https://127.0.0.1:51234/cb",
            ] {
                expectAuthorizationErrorPage(
                    try await flow.authorize(Context.parameters(for: native, replacing: ["redirect_uri": uri])),
                    "native \(uri)"
                )
            }

            let web = try await flow.makeClient(["redirect_uris": ["http://127.0.0.1/cb"]], name: "Confidential loopback")
            try await flow.consent(web)
            let other = try await flow.authorize(Context.parameters(for: web, replacing: ["redirect_uri": "http://127.0.0.1:51234/cb"]))
            expectAuthorizationErrorPage(other, "confidential client on another port")
            let exact = try await flow.authorize(Context.parameters(for: web, replacing: ["redirect_uri": "http://127.0.0.1/cb"]))
            #expect(exact.status == .found && RedirectQuery(exact.location)?["code"] != nil, "\(exact.text)")
        }
    }

    @Test("when a parameter is repeated then an error page is shown, not a code", arguments: TestDatabase.all)
    func duplicateParameter(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            for repeated in ["state", "scope", "redirect_uri", "code_challenge", "client_id"] {
                let value = Context.parameters(for: client).first { $0.0 == repeated }?.1 ?? "x"
                let response = try await flow.authorize(Context.parameters(for: client, extra: [(repeated, value)]))
                #expect(response.location.map { RedirectQuery($0)?["code"] == nil } ?? true, "\(repeated) twice issued a code")
                expectAuthorizationErrorPage(response, "\(repeated) twice")
            }
            let differing = try await flow.authorize(Context.parameters(for: client, state: "a", extra: [("state", "b")]))
            expectAuthorizationErrorPage(differing, "state=a&state=b")
        }
    }

    // MARK: Redirected errors

    @Test("when response_type is token, code id_token or missing then the error is redirected with state and iss", arguments: TestDatabase.all)
    func responseType(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            for type in ["token", "code id_token", "id_token", "CODE"] {
                let response = try await flow.authorize(Context.parameters(for: client, replacing: ["response_type": type]))
                expectRedirectError(response, to: client.redirectURI, error: "unsupported_response_type", "response_type=\(type)")
                #expect(!(response.location ?? "").contains("access_token") && !(response.location ?? "").contains("#"))
            }
            let missing = try await flow.authorize(Context.parameters(for: client, replacing: ["response_type": nil]))
            expectRedirectError(missing, to: client.redirectURI, error: "invalid_request", "response_type missing")
        }
    }

    @Test("when response_mode is unknown or the client may not use the code grant then the error is redirected", arguments: TestDatabase.all)
    func responseModeAndGrant(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            for mode in ["fragment", "web_message", "FORM_POST"] {
                let response = try await flow.authorize(Context.parameters(for: client, replacing: ["response_mode": mode]))
                expectRedirectError(response, to: client.redirectURI, error: "invalid_request", "response_mode=\(mode)")
            }
            let machine = try await flow.makeClient(["grant_types": ["client_credentials"]], name: "Machine")
            try await flow.consent(machine)
            let response = try await flow.authorize(Context.parameters(for: machine))
            expectRedirectError(response, to: machine.redirectURI, error: "unauthorized_client", "client without authorization_code")
        }
    }

    @Test("when a scope outside the client's is requested then invalid_scope is redirected with state and iss", arguments: TestDatabase.all)
    func invalidScope(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["scopes": ["openid", "profile"]])
            try await flow.consent(client)
            for scope in ["openid not_a_scope", "openid email", "admin", "openid  profile\u{7F}"] {
                let response = try await flow.authorize(Context.parameters(for: client, scope: scope))
                expectRedirectError(response, to: client.redirectURI, error: "invalid_scope", "scope=\(scope)")
            }
            // Control: reversed order of allowed scopes works (RFC 6749 §3.3: order does not matter).
            let control = try await flow.authorize(Context.parameters(for: client, scope: "profile openid"))
            #expect(RedirectQuery(control.location)?["code"] != nil, "\(control.location ?? control.text)")
        }
    }

    @Test("when PKCE is missing, plain, without method or an unsupported method then invalid_request is redirected", arguments: TestDatabase.all)
    func pkceRequired(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let cases: [(String, [String: String?])] = [
                ("no code_challenge", ["code_challenge": nil]),
                ("no code_challenge and no method", ["code_challenge": nil, "code_challenge_method": nil]),
                ("method plain", ["code_challenge_method": "plain", "code_challenge": Flow.verifier]),
                ("method plain with an S256-shaped challenge", ["code_challenge_method": "plain"]),
                ("method missing", ["code_challenge_method": nil]),
                ("method S512", ["code_challenge_method": "S512"]),
                ("method s256 (case)", ["code_challenge_method": "s256"]),
                ("challenge too short", ["code_challenge": "abc"]),
            ]
            for (name, replacing) in cases {
                let response = try await flow.authorize(Context.parameters(for: client, replacing: replacing))
                expectRedirectError(response, to: client.redirectURI, error: "invalid_request", name)
            }
        }
    }

    @Test("when the request carries an unknown parameter then it is ignored and the flow succeeds", arguments: TestDatabase.all)
    func unknownParameter(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let response = try await flow.authorize(Context.parameters(for: client, extra: [("extra", "foobar"), ("vendor_x", "1")]))
            #expect(response.status == .found, "\(response.text)")
            let query = try #require(RedirectQuery(response.location))
            #expect(query["code"] != nil)
            #expect(query["extra"] == nil && query["error"] == nil, "\(response.location ?? "")")
        }
    }

    @Test("when state holds & % + = spaces and UTF-8 then it comes back byte-exact, on success and on error", arguments: TestDatabase.all)
    func stateByteExact(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let state = "a&b=c%20d+e f%%/?#ü€😀\"<'>"
            let success = try await flow.authorize(Context.parameters(for: client, state: state))
            #expect(success.status == .found)
            let location = try #require(success.location)
            #expect(RedirectQuery(location)?["state"] == state, "\(location)")
            #expect(RedirectQuery(location)?.count(of: "state") == 1)
            // Decoded as a browser form would (+ as space) it is still exact: nothing was left as a raw +.
            let raw = try #require(location.split(separator: "?", maxSplits: 1).last)
            let stateParts = raw.split(separator: "&").filter { $0.hasPrefix("state=") }
            #expect(stateParts.count == 1)
            #expect(!(stateParts.first ?? "").contains("+"), "a + in the state must be percent-encoded: \(location)")

            let failure = try await flow.authorize(Context.parameters(for: client, state: state, replacing: ["response_type": "token"]))
            expectRedirectError(failure, to: client.redirectURI, error: "unsupported_response_type", state: state, "error with odd state")

            // Without a state, none is sent back (not an empty one).
            let none = try await flow.authorize(Context.parameters(for: client, state: nil))
            let noneQuery = try #require(RedirectQuery(none.location))
            #expect(noneQuery.count(of: "state") == 0 && noneQuery["code"] != nil, "\(none.location ?? "")")
        }
    }

    @Test("when a code is issued then iss equals the configured issuer exactly", arguments: TestDatabase.all)
    func issOnSuccess(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let response = try await flow.authorize(Context.parameters(for: client))
            let query = try #require(RedirectQuery(response.location))
            #expect(query["iss"] == Flow.issuer)
            #expect(query.count(of: "iss") == 1)
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test("when response_mode=form_post then an HTML form posts code, state and iss to the redirect URI", arguments: TestDatabase.all)
    func formPost(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let state = "st&<\"x"
            let response = try await flow.authorize(Context.parameters(for: client, state: state, replacing: ["response_mode": "form_post"]))
            #expect(response.status == .ok, "\(response.status) \(response.text)")
            #expect(response.location == nil)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(response.headers[.cacheControl] == "no-store")
            let html = response.text
            #expect(html.contains(#"method="post""#))
            #expect(HTML.firstMatch(#"action="([^"]*)""#, in: html).map(HTML.unescape) == client.redirectURI)
            let code = try #require(HTML.hiddenValue("code", in: html), "no code input in \(html)")
            #expect(code.hasPrefix("custos_ac_"))
            #expect(HTML.hiddenValue("state", in: html) == state)
            #expect(HTML.hiddenValue("iss", in: html) == Flow.issuer)
            #expect(!html.contains(#"value="st&<"#), "the state is HTML-escaped")
            let redeemed = try await flow.redeem(code, client: client)
            #expect(redeemed.status == .ok, "\(redeemed.text)")

            let error = try await flow.authorize(
                Context.parameters(for: client, replacing: ["response_mode": "form_post", "code_challenge_method": "plain"])
            )
            #expect(error.status == .ok)
            #expect(HTML.hiddenValue("error", in: error.text) == "invalid_request")
            #expect(HTML.hiddenValue("iss", in: error.text) == Flow.issuer)
            #expect(HTML.hiddenValue("code", in: error.text) == nil)
        }
    }

    // MARK: Sign-in, consent, prompt

    @Test("when prompt=none and no one is signed in then login_required is redirected", arguments: TestDatabase.all)
    func promptNoneSignedOut(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let response = try await flow.authorize(Context.parameters(for: client, replacing: ["prompt": "none"]), signedIn: false)
            expectRedirectError(response, to: client.redirectURI, error: "login_required")
            // Without prompt=none the browser is sent to sign in instead.
            let plain = try await flow.authorize(Context.parameters(for: client), signedIn: false)
            #expect(plain.status == .seeOther)
            #expect(plain.location?.hasPrefix("\(api)/login?") == true, "\(plain.location ?? "")")
        }
    }

    @Test("when prompt=none with a session but no consent then consent_required is redirected", arguments: TestDatabase.all)
    func promptNoneNoConsent(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let response = try await flow.authorize(Context.parameters(for: client, replacing: ["prompt": "none"]))
            expectRedirectError(response, to: client.redirectURI, error: "consent_required")
            // A consent that does not cover the scopes is no consent either.
            try await flow.consent(client, scopes: ["openid"])
            let partial = try await flow.authorize(Context.parameters(for: client, scope: "openid profile", replacing: ["prompt": "none"]))
            expectRedirectError(partial, to: client.redirectURI, error: "consent_required", "partial consent")
            // Once covered, prompt=none yields a code without any page.
            let covered = try await flow.authorize(Context.parameters(for: client, scope: "openid", replacing: ["prompt": "none"]))
            #expect(RedirectQuery(covered.location)?["code"] != nil, "\(covered.location ?? covered.text)")
        }
    }

    @Test("when the user denies consent then access_denied is redirected with state and iss and no consent is stored", arguments: TestDatabase.all)
    func consentDenied(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            // Through the consent page: deny → back to the endpoint → access_denied.
            let browser = TestBrowser(flow.http)
            browser.setCookie(BrowserCookieName.session, flow.sessionCookie)
            let ask = try await browser.get(Flow.authorizePath + "?" + FormEncoding.encode(Context.parameters(for: client)))
            let consentURL = try #require(ask.location, "\(ask.status)")
            let handle = try #require(URLComponents(string: consentURL)?.queryItems?.first { $0.name == "authorization_request" }?.value)
            let denied = try await browser.submit(
                from: consentURL,
                to: "\(api)/consent",
                [("authorization_request", handle), ("decision", "deny")]
            )
            let back = try #require(denied.location)
            expectRedirectError(try await browser.get(back), to: client.redirectURI, error: "access_denied", "via the page")
            #expect(try await flow.server.server.consents.consent(userID: flow.user.id, clientID: client.clientID) == nil)
        }
    }

    @Test(
        "when the browser adds the old consent=given or custos_signed_in_after parameters then prompt=consent and prompt=login still ask",
        arguments: TestDatabase.all
    )
    func forgedProgressParameters(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let consent = try await flow.authorize(
                Context.parameters(for: client, extra: [("prompt", "consent"), ("consent", "given")])
            )
            #expect(consent.status == .seeOther && consent.location?.hasPrefix("\(api)/consent?") == true, "\(consent.location ?? consent.text)")
            let login = try await flow.authorize(
                Context.parameters(for: client, extra: [("prompt", "login"), ("custos_signed_in_after", "0")])
            )
            #expect(login.status == .seeOther && login.location?.hasPrefix("\(api)/login?") == true, "\(login.location ?? login.text)")
            flow.clock.advance(by: 120)
            let maxAge = try await flow.authorize(
                Context.parameters(for: client, extra: [("max_age", "60"), ("custos_signed_in_after", "0")])
            )
            #expect(maxAge.status == .seeOther && maxAge.location?.hasPrefix("\(api)/login?") == true, "\(maxAge.location ?? maxAge.text)")
        }
    }

    @Test("when a pending request is resumed with other parameters in the URL then only the stored request counts", arguments: TestDatabase.all)
    func resumeIgnoresQuery(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let other = try await flow.makeClient(["redirect_uris": ["https://other.example.com/cb"]], name: "Other")
            try await flow.consent(client)
            try await flow.consent(other)
            let ask = try await flow.authorize(Context.parameters(for: client, extra: [("prompt", "login")]))
            let loginURL = try #require(ask.location)
            let returnTo = try #require(URLComponents(string: loginURL)?.queryItems?.first { $0.name == "return_to" }?.value)
            #expect(returnTo.hasPrefix(Flow.authorizePath + "?authorization_request="), "\(returnTo)")
            let browser = TestBrowser(flow.http)
            #expect(try await browser.signIn("alice", goodPassword, returnTo: returnTo).location == returnTo)
            let tampered =
                returnTo + "&"
                + FormEncoding.encode([
                    ("client_id", other.clientID), ("redirect_uri", other.redirectURI), ("scope", "openid email"), ("state", "forged"),
                ])
            let final = try await browser.get(tampered)
            let query = try #require(RedirectQuery(final.location), "\(final.status) \(final.text)")
            #expect(query.base == client.redirectURI)
            #expect(query["state"] == "xyz")
        }
    }

    @Test("when two sign-ins race for one pending request then one resumption gets the code and the other an error page", arguments: TestDatabase.all)
    func pendingAnsweredOnce(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let ask = try await flow.authorize(Context.parameters(for: client, extra: [("prompt", "login")]))
            let loginURL = try #require(ask.location)
            let returnTo = try #require(URLComponents(string: loginURL)?.queryItems?.first { $0.name == "return_to" }?.value)
            let browser = TestBrowser(flow.http)
            _ = try await browser.signIn("alice", goodPassword, returnTo: returnTo)
            let first = try await browser.get(returnTo)
            #expect(RedirectQuery(first.location)?["code"] != nil, "\(first.location ?? first.text)")
            expectAuthorizationErrorPage(try await browser.get(returnTo), "second resumption")
        }
    }

    // MARK: POST and CORS

    @Test("when the request is POSTed as a form then the answer is the same, as a 303", arguments: TestDatabase.all)
    func postAuthorize(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let response = try await flow.http.execute(
                uri: Flow.authorizePath,
                method: .post,
                headers: [.contentType: OAuthEndpointKit.formType, .cookie: "\(BrowserCookieName.session)=\(flow.sessionCookie)"],
                body: ByteBuffer(string: FormEncoding.encode(Context.parameters(for: client)))
            )
            #expect(response.status == .seeOther, "never 307 (RFC 9700 §4.12): \(response.status)")
            let query = try #require(RedirectQuery(response.location))
            #expect(query["code"] != nil && query["iss"] == Flow.issuer && query["state"] == "xyz")
        }
    }

    @Test(
        "when /oauth/authorize is called with an Origin header or preflighted then no Access-Control-Allow-Origin is sent",
        arguments: TestDatabase.all
    )
    func noCORS(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let origin: HTTPFields = [.origin: "https://app.example.com"]
            let get = try await flow.authorize(Context.parameters(for: client), headers: origin)
            #expect(get.status == .found)
            #expect(get.headers[.accessControlAllowOrigin] == nil, "GET: \(get.headers)")
            let error = try await flow.authorize(Context.parameters(for: client, replacing: ["client_id": "nope"]), headers: origin)
            #expect(error.headers[.accessControlAllowOrigin] == nil, "error page: \(error.headers)")
            let preflight = try await flow.http.execute(
                uri: Flow.authorizePath,
                method: .options,
                headers: [.origin: "https://app.example.com", .accessControlRequestMethod: "GET"],
                body: nil
            )
            #expect(preflight.headers[.accessControlAllowOrigin] == nil, "preflight: \(preflight.status) \(preflight.headers)")
        }
    }
}
