import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Logout: the end-session endpoint (OpenID Connect RP-Initiated Logout 1.0), back-channel
/// logout tokens (Back-Channel Logout 1.0 §2.4), front-channel iframes (Front-Channel Logout
/// 1.0 §2–§4) and the administrator's "end every session of this user".
@Suite("OpenID: logout")
struct LogoutTests {
    static let postLogoutURI = "https://app.example.com/logged-out"
    static let backchannelURI = "https://app.example.com/backchannel-logout"
    static let frontchannelURI = "https://app.example.com/frontchannel-logout"

    /// A client registered with a post-logout redirect URI, plus `overrides`.
    static func logoutClient(_ openID: OpenIDContext, _ overrides: [String: Any] = [:]) async throws -> RegisteredClient {
        var metadata: [String: Any] = ["post_logout_redirect_uris": [postLogoutURI]]
        metadata.merge(overrides) { $1 }
        return try await Registration.register(openID.http, metadata)
    }

    static func logoutQuery(_ fields: [(String, String)]) -> String {
        OpenID.logoutPath + FormEncoding.query(fields)
    }

    /// `GET /account` with the original session cookie, whatever the browser jar holds: 303
    /// to sign-in once the session has ended on the server.
    static func sessionIsLive(_ openID: OpenIDContext) async throws -> Bool {
        let response = try await openID.http.execute(
            uri: "\(api)/account",
            method: .get,
            headers: [.cookie: "\(BrowserCookieName.session)=\(openID.flow.sessionCookie)"],
            body: nil
        )
        if response.status == .ok { return true }
        #expect(response.status == .seeOther && response.location == "\(api)/login", "\(response.status) \(response.location ?? "")")
        return false
    }

    // MARK: RP-initiated logout

    @Test(
        "when logout has a valid id_token_hint and a registered post_logout_redirect_uri then 303 there with state, the cookie is cleared and the session ended",
        arguments: TestDatabase.all
    )
    func logoutWithHint(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID)
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            let browser = openID.browser()
            #expect(try await browser.isSignedIn())

            let response = try await browser.get(
                Self.logoutQuery([("id_token_hint", hint), ("post_logout_redirect_uri", Self.postLogoutURI), ("state", "af0ifjsldkj")])
            )
            #expect(response.status == .seeOther, "\(response.status) \(response.text)")
            let target = try #require(RedirectQuery(response.location), "no Location")
            #expect(target.base == Self.postLogoutURI)
            #expect(target["state"] == "af0ifjsldkj")
            #expect(response.setCookie(named: BrowserCookieName.session)?.isRemoval == true, "the session cookie is not cleared")

            #expect(try await !browser.isSignedIn(), "GET /account after logout")
            #expect(try await !Self.sessionIsLive(openID), "the old session cookie still works on the server")
            // The ended session cannot satisfy a silent request either.
            let silent = try await openID.flow.authorize(
                FlowContext.parameters(for: client.flowClient, scope: "openid", replacing: ["prompt": "none"])
            )
            expectRedirectError(silent, to: client.redirectURI, error: "login_required", "prompt=none after logout")
        }
    }

    @Test("when logout is POSTed as a form with the hint then it behaves as GET", arguments: TestDatabase.all)
    func logoutByPost(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID)
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            let browser = openID.browser()
            let response = try await browser.post(
                OpenID.logoutPath,
                form: [("id_token_hint", hint), ("post_logout_redirect_uri", Self.postLogoutURI), ("state", "s1")]
            )
            #expect(response.status == .seeOther, "\(response.status) \(response.text)")
            #expect(RedirectQuery(response.location)?.base == Self.postLogoutURI)
            #expect(RedirectQuery(response.location)?["state"] == "s1")
            #expect(try await !Self.sessionIsLive(openID))
        }
    }

    @Test(
        "when the hint is valid but no post_logout_redirect_uri is sent then the user is signed out on Custos's own page",
        arguments: TestDatabase.all
    )
    func logoutWithoutRedirect(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID)
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            let response = try await openID.browser().get(Self.logoutQuery([("id_token_hint", hint)]))
            #expect(response.status == .ok, "\(response.status) \(response.location ?? "")")
            #expect(response.isHTML)
            #expect(response.location == nil)
            #expect(try await !Self.sessionIsLive(openID))
        }
    }

    @Test(
        "when post_logout_redirect_uri is not exactly one the client registered then 400 error page, no redirect, and the user stays signed in",
        arguments: TestDatabase.all
    )
    func unregisteredRedirect(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID)
            _ = try await Registration.register(openID.http, ["post_logout_redirect_uris": ["https://other.example.net/bye"]])
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            let browser = openID.browser()
            for uri in [
                "https://evil.example/phish", Self.postLogoutURI + "/more", Self.postLogoutURI + "?x=1", "https://APP.example.com/logged-out",
                "https://other.example.net/bye",  // registered, but by another client
            ] {
                let response = try await browser.get(
                    Self.logoutQuery([("id_token_hint", hint), ("post_logout_redirect_uri", uri), ("state", "s")])
                )
                #expect(response.status == .badRequest, "\(uri): \(response.status) \(response.location ?? "")")
                #expect(response.location == nil, "\(uri): redirected to \(response.location ?? "")")
                #expect(response.isHTML, "\(uri): \(response.headers[.contentType] ?? "")")
                #expect(response.setCookie(named: BrowserCookieName.session)?.isRemoval != true, "\(uri): the cookie was cleared")
            }
            #expect(try await Self.sessionIsLive(openID), "a refused logout ended the session")
        }
    }

    @Test("when the id_token_hint is not an ID token this server signed then 400 and the user stays signed in", arguments: TestDatabase.all)
    func forgedHint(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID)
            let (hint, token, _) = try await openID.idToken(for: client.flowClient)
            let parts = hint.split(separator: ".").map(String.init)
            var claims = token.claims
            claims["aud"] = "another-client"
            let tampered = parts[0] + "." + Base64URL.encode(try JSONSerialization.data(withJSONObject: claims)) + "." + parts[2]
            for bad in ["garbage", tampered] {
                let response = try await openID.browser().get(
                    Self.logoutQuery([("id_token_hint", bad), ("post_logout_redirect_uri", Self.postLogoutURI)])
                )
                #expect(response.status == .badRequest, "\(response.status)")
                #expect(response.location == nil)
            }
            #expect(try await Self.sessionIsLive(openID))
        }
    }

    @Test("when client_id names another client than the id_token_hint's audience then 400 and the user stays signed in", arguments: TestDatabase.all)
    func hintClientMismatch(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID)
            let other = try await Self.logoutClient(openID)
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            let response = try await openID.browser().get(
                Self.logoutQuery([("id_token_hint", hint), ("client_id", other.clientID), ("post_logout_redirect_uri", Self.postLogoutURI)])
            )
            #expect(response.status == .badRequest, "\(response.status) \(response.location ?? "")")
            #expect(response.location == nil)
            #expect(try await Self.sessionIsLive(openID))
        }
    }

    @Test(
        "when logout comes without a hint then a confirmation page with a form is shown and the user stays signed in until confirming",
        arguments: TestDatabase.all
    )
    func confirmationPage(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let browser = openID.browser()
            let page = try await browser.get(OpenID.logoutPath)
            #expect(page.status == .ok, "\(page.status) \(page.location ?? "")")
            #expect(page.isHTML)
            #expect(page.text.contains("<form"), "no form: \(page.text)")
            #expect(HTML.firstMatch(#"<form[^>]*action="([^"]*)""#, in: page.text).map(HTML.unescape) == OpenID.logoutPath)
            let csrf = try #require(page.csrfFormToken, "no CSRF token on the confirmation page")
            #expect(try await Self.sessionIsLive(openID), "the confirmation page signed the user out")

            let confirmed = try await browser.post(OpenID.logoutPath, form: Self.formFields(of: page, csrf: csrf) + [("confirm", "yes")])
            #expect(confirmed.status == .ok || confirmed.status == .seeOther, "\(confirmed.status) \(confirmed.text)")
            #expect(confirmed.setCookie(named: BrowserCookieName.session)?.isRemoval == true)
            #expect(try await !Self.sessionIsLive(openID), "confirming did not end the session")
        }
    }

    @Test("when the confirmation is declined or its CSRF token is wrong then the user stays signed in", arguments: TestDatabase.all)
    func confirmationDeclinedOrForged(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let browser = openID.browser()
            let page = try await browser.get(OpenID.logoutPath)
            let csrf = try #require(page.csrfFormToken)
            let forged = try await browser.post(OpenID.logoutPath, form: [("csrf_token", "forged-\(csrf.prefix(10))"), ("confirm", "yes")])
            #expect(forged.status == .forbidden, "\(forged.status)")
            #expect(try await Self.sessionIsLive(openID), "a forged confirmation signed the user out")
            let missing = try await browser.post(OpenID.logoutPath, form: [("confirm", "yes")])
            #expect(missing.status == .forbidden, "\(missing.status)")
            let declined = try await browser.post(OpenID.logoutPath, form: Self.formFields(of: page, csrf: csrf) + [("confirm", "no")])
            #expect(declined.status == .seeOther, "\(declined.status)")
            #expect(try await Self.sessionIsLive(openID), "declining signed the user out")
        }
    }

    @Test(
        "when logout has client_id and a registered post_logout_redirect_uri but no hint then confirming leads there with state",
        arguments: TestDatabase.all
    )
    func confirmationThenRedirect(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID)
            let browser = openID.browser()
            let page = try await browser.get(
                Self.logoutQuery([("client_id", client.clientID), ("post_logout_redirect_uri", Self.postLogoutURI), ("state", "xyz-1")])
            )
            #expect(page.status == .ok, "\(page.status) \(page.location ?? "")")
            let csrf = try #require(page.csrfFormToken)
            #expect(try await Self.sessionIsLive(openID))
            let confirmed = try await browser.post(OpenID.logoutPath, form: Self.formFields(of: page, csrf: csrf) + [("confirm", "yes")])
            #expect(confirmed.status == .seeOther, "\(confirmed.status) \(confirmed.text)")
            #expect(RedirectQuery(confirmed.location)?.base == Self.postLogoutURI)
            #expect(RedirectQuery(confirmed.location)?["state"] == "xyz-1")
            #expect(try await !Self.sessionIsLive(openID))
        }
    }

    @Test(
        "when no one is signed in and a valid hint and registered URI are sent then the browser is still sent to the URI",
        arguments: TestDatabase.all
    )
    func logoutWithoutSession(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID)
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            let response = try await TestBrowser(openID.http).get(
                Self.logoutQuery([("id_token_hint", hint), ("post_logout_redirect_uri", Self.postLogoutURI), ("state", "s2")])
            )
            #expect(response.status == .seeOther, "\(response.status)")
            #expect(RedirectQuery(response.location)?["state"] == "s2")
            #expect(try await Self.sessionIsLive(openID), "a logout without the cookie ended the session")
        }
    }

    /// The hidden fields of the confirmation form, with `csrf` as the token.
    static func formFields(of page: TestResponse, csrf: String) -> [(String, String)] {
        var fields = [("csrf_token", csrf)]
        for name in ["client_id", "post_logout_redirect_uri", "state"] {
            if let value = HTML.hiddenValue(name, in: page.text), !value.isEmpty { fields.append((name, value)) }
        }
        return fields
    }

    // MARK: Back-channel

    @Test(
        "when a client that received a code in the session has a backchannel_logout_uri then it gets one verified logout token with the event, sid and sub and no nonce",
        arguments: TestDatabase.all
    )
    func backchannelToken(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID, ["backchannel_logout_uri": Self.backchannelURI])
            // The authorization carried a nonce: the logout token still must not.
            let (hint, idToken, _) = try await openID.idToken(for: client.flowClient, extra: ["nonce": "n-0S6_WzA2Mj"])
            #expect(openID.notifier.all.isEmpty, "a logout token before any logout")
            let response = try await openID.browser().get(Self.logoutQuery([("id_token_hint", hint)]))
            #expect(response.status == .ok || response.status == .seeOther, "\(response.status)")

            let deliveries = openID.notifier.all
            try #require(deliveries.count == 1, "expected one logout token, got \(deliveries.count)")
            #expect(deliveries[0].uri == Self.backchannelURI)
            let token = try verifyJWT(deliveries[0].token, keys: openID.keys, type: "logout+jwt")
            #expect(token.header["typ"] as? String == "logout+jwt")
            #expect(token.header["alg"] as? String == "RS256", "signed like the client's ID tokens")
            let kid = try #require(token.header["kid"] as? String)
            #expect(try await openID.publishedKeys()[kid] != nil, "kid \(kid) is not in the JWKS")
            let claims = token.claims
            #expect(claims["iss"] as? String == Flow.issuer)
            let audience = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String] ?? [])
            #expect(audience == [client.clientID])
            #expect(claims["iat"] is Int)
            #expect((claims["jti"] as? String)?.isEmpty == false)
            let events = try #require(claims["events"] as? [String: Any], "events: \(claims["events"] ?? "nil")")
            #expect(events.keys.contains(OpenID.backchannelEvent), "\(events)")
            #expect((events[OpenID.backchannelEvent] as? [String: Any])?.isEmpty == true, "the event's value is an empty object")
            #expect(claims["sid"] as? String == openID.session.id)
            #expect(claims["sid"] as? String == idToken.claims["sid"] as? String)
            #expect(claims["sub"] as? String == idToken.claims["sub"] as? String)
            #expect(claims["nonce"] == nil, "Back-Channel Logout §2.4: a logout token must not contain a nonce")
        }
    }

    @Test("when the user signs out with the account page's button then participating clients get a logout token too", arguments: TestDatabase.all)
    func accountPageSignOutNotifies(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID, ["backchannel_logout_uri": Self.backchannelURI])
            _ = try await openID.idToken(for: client.flowClient)
            let browser = openID.browser()
            let response = try await browser.submit(from: "\(api)/account", to: "\(api)/logout", [])
            #expect(response.status == .seeOther, "\(response.status)")
            #expect(try await !Self.sessionIsLive(openID), "the account page did not sign out")
            // Back-Channel Logout 1.0 §2: the OP notifies the RPs whenever the user's OP session ends.
            let deliveries = openID.notifier.all
            #expect(deliveries.map(\.uri) == [Self.backchannelURI], "logout tokens sent: \(deliveries.map(\.uri))")
            if let delivery = deliveries.first {
                #expect(try verifyJWT(delivery.token, keys: openID.keys, type: "logout+jwt").claims["sid"] as? String == openID.session.id)
            }
        }
    }

    @Test("when a logout token is checked as an ID token then it is refused: its typ is logout+jwt", arguments: TestDatabase.all)
    func logoutTokenIsNotAnIDToken(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID, ["backchannel_logout_uri": Self.backchannelURI])
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            _ = try await openID.browser().get(Self.logoutQuery([("id_token_hint", hint)]))
            let token = try #require(openID.notifier.all.first?.token)
            #expect(throws: JWTVerifier.Failure.unacceptableHeader) { try JWTVerifier(keys: openID.keys).verify(token, type: "jwt") }
        }
    }

    @Test("when only some clients took part in the session then only they are notified, each with its own aud", arguments: TestDatabase.all)
    func onlyParticipantsNotified(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let first = try await Self.logoutClient(openID, ["backchannel_logout_uri": Self.backchannelURI])
            let second = try await Self.logoutClient(openID, ["backchannel_logout_uri": "https://app.example.com/second-backchannel"])
            _ = try await Self.logoutClient(openID, ["backchannel_logout_uri": "https://app.example.com/bystander"])
            let (hint, _, _) = try await openID.idToken(for: first.flowClient)
            _ = try await openID.idToken(for: second.flowClient)
            _ = try await openID.browser().get(Self.logoutQuery([("id_token_hint", hint)]))

            let deliveries = openID.notifier.all
            #expect(Set(deliveries.map(\.uri)) == [Self.backchannelURI, "https://app.example.com/second-backchannel"], "\(deliveries.map(\.uri))")
            #expect(deliveries.count == 2)
            for delivery in deliveries {
                let claims = try verifyJWT(delivery.token, keys: openID.keys, type: "logout+jwt").claims
                let expected = delivery.uri == Self.backchannelURI ? first.clientID : second.clientID
                let audience = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String] ?? [])
                #expect(audience == [expected])
            }
        }
    }

    @Test("when a pairwise client is notified then the logout token's sub is its pairwise sub", arguments: TestDatabase.all)
    func backchannelPairwiseSub(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID, ["backchannel_logout_uri": Self.backchannelURI, "subject_type": "pairwise"])
            let (hint, idToken, _) = try await openID.idToken(for: client.flowClient)
            _ = try await openID.browser().get(Self.logoutQuery([("id_token_hint", hint)]))
            let token = try #require(openID.notifier.all.first?.token)
            let claims = try verifyJWT(token, keys: openID.keys, type: "logout+jwt").claims
            #expect(claims["sub"] as? String == idToken.claims["sub"] as? String)
            #expect(claims["sub"] as? String != openID.user.id)
        }
    }

    // MARK: Front-channel

    @Test(
        "when a participating client has a frontchannel_logout_uri then the signed-out page loads it in an iframe with iss and sid",
        arguments: TestDatabase.all
    )
    func frontchannelIframe(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID, ["frontchannel_logout_uri": Self.frontchannelURI])
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            let response = try await openID.browser().get(
                Self.logoutQuery([("id_token_hint", hint), ("post_logout_redirect_uri", Self.postLogoutURI), ("state", "fc")])
            )
            #expect(response.status == .ok, "the iframes need a page: \(response.status) \(response.location ?? "")")
            #expect(response.isHTML)
            let sources = response.iframeSources
            try #require(sources.count == 1, "iframes: \(sources) in \(response.text)")
            let frame = try #require(RedirectQuery(sources[0]))
            #expect(frame.base == Self.frontchannelURI)
            #expect(frame["iss"] == Flow.issuer)
            #expect(frame["sid"] == openID.session.id)
            // The page still leads to the registered URI with state, and the session is over.
            #expect(HTML.unescape(response.text).contains(Self.postLogoutURI + "?state=fc"), "no continuation link")
            #expect(response.setCookie(named: BrowserCookieName.session)?.isRemoval == true)
            #expect(try await !Self.sessionIsLive(openID))
        }
    }

    @Test("when a client with a frontchannel_logout_uri took no part in the session then no iframe is rendered for it", arguments: TestDatabase.all)
    func frontchannelOnlyParticipants(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID)
            _ = try await Self.logoutClient(openID, ["frontchannel_logout_uri": Self.frontchannelURI])
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            let response = try await openID.browser().get(Self.logoutQuery([("id_token_hint", hint)]))
            #expect(response.status == .ok)
            #expect(response.iframeSources.isEmpty, "\(response.iframeSources)")
        }
    }

    // MARK: Administrator

    @Test(
        "when an admin ends a user's sessions then 204, the session no longer works and participating clients get a logout token",
        arguments: TestDatabase.all
    )
    func adminEndsSessions(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.logoutClient(openID, ["backchannel_logout_uri": Self.backchannelURI])
            _ = try await openID.idToken(for: client.flowClient)
            // A second browser session of the same user.
            let (_, otherCookie) = try await openID.server.server.sessions.start(for: openID.user, amr: ["pwd"])
            #expect(try await Self.sessionIsLive(openID))

            let response = try await openID.http.admin(.delete, "/users/\(openID.user.id)/sessions", token: try await openID.http.adminToken())
            #expect(response.status == .noContent, "\(response.status) \(response.text)")
            #expect(try await !Self.sessionIsLive(openID), "the session survived")
            #expect(try await openID.server.server.sessions.resume(cookie: otherCookie) == nil, "the other session survived")
            let silent = try await openID.flow.authorize(
                FlowContext.parameters(for: client.flowClient, scope: "openid", replacing: ["prompt": "none"])
            )
            expectRedirectError(silent, to: client.redirectURI, error: "login_required", "prompt=none after the admin ended the sessions")

            let deliveries = openID.notifier.all
            #expect(deliveries.count == 1, "\(deliveries.map(\.uri))")
            if let delivery = deliveries.first {
                let claims = try verifyJWT(delivery.token, keys: openID.keys, type: "logout+jwt").claims
                #expect(claims["sid"] as? String == openID.session.id)
                #expect(claims["sub"] as? String == openID.user.id)
            }
        }
    }

    @Test("when ending sessions is asked without an admin token or for an unknown user then 401 or 404 and nothing ends", arguments: TestDatabase.all)
    func adminEndSessionsRefused(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let anonymous = try await openID.http.admin(.delete, "/users/\(openID.user.id)/sessions", token: nil)
            #expect(anonymous.status == .unauthorized)
            let unknown = try await openID.http.admin(
                .delete,
                "/users/01HZZZZZZZZZZZZZZZZZZZZZZZ/sessions",
                token: try await openID.http.adminToken()
            )
            expectSimpleError(unknown, .notFound, "unknown user")
            #expect(try await Self.sessionIsLive(openID))
        }
    }
}
