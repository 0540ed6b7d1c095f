import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Rules 1, 2 and 6 of the authorization boundaries: only a first-party app's `account` token
/// acts for a user at /oauth/authorize, and on its own session; claims are released only within
/// the client's scopes and the user's consent; a logout hint of another session or user never
/// signs the browser out silently.
@Suite("Authorization boundaries: sessions, claims, logout")
struct AuthorizationBoundaryTests {
    static func authorizeJSON(
        _ http: any TestClientProtocol,
        _ body: [String: Any],
        bearer: String?,
        cookie: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if let cookie { headers[.cookie] = "\(BrowserCookieName.session)=\(cookie)" }
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await http.execute(uri: Flow.authorizePath, method: .post, headers: headers, body: ByteBuffer(bytes: data))
    }

    static func requestBody(for client: FlowClient, approved: Bool?) -> [String: Any] {
        var body: [String: Any] = [
            "response_type": "code", "client_id": client.clientID, "scope": "openid", "state": "s-json",
            "code_challenge": Flow.challenge, "code_challenge_method": "S256",
        ]
        if let approved { body["approved"] = approved }
        return body
    }

    @Test(
        "when the JSON authorize variant is called with a third-party user token, without account, without a session or with a cookie then it is refused",
        arguments: TestDatabase.all
    )
    func jsonVariantNeedsFirstPartyAccountToken(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let target = try await flow.makeClient()
            let firstParty = try await flow.makeClient(["first_party": true, "scopes": ["openid", "account"]], name: "Account")
            let session = try #require(try await flow.server.server.sessions.resume(cookie: flow.sessionCookie)?.session)
            let thirdPartyToken = try await flow.server.userAccessToken(clientID: target.clientID, user: flow.user)
            let third = try await Self.authorizeJSON(flow.http, Self.requestBody(for: target, approved: true), bearer: thirdPartyToken)
            #expect(third.status == .forbidden, "\(third.text)")
            let noAccount = try await flow.server.accountToken(
                clientID: firstParty.clientID,
                user: flow.user,
                session: session,
                scopes: ["openid"]
            )
            #expect(try await Self.authorizeJSON(flow.http, Self.requestBody(for: target, approved: true), bearer: noAccount).status == .forbidden)
            let sessionless = try await flow.server.accountToken(clientID: firstParty.clientID, user: flow.user, session: nil)
            #expect(
                try await Self.authorizeJSON(flow.http, Self.requestBody(for: target, approved: true), bearer: sessionless).status == .unauthorized
            )
            let cookieOnly = try await Self.authorizeJSON(
                flow.http,
                Self.requestBody(for: target, approved: true),
                bearer: nil,
                cookie: flow.sessionCookie
            )
            #expect(cookieOnly.status == .unauthorized, "a browser session acts only through the pages")
            #expect(try await flow.server.server.consents.consent(userID: flow.user.id, clientID: target.clientID) == nil)
        }
    }

    @Test("when a first-party app approves a request with a JWT response mode then the JSON answer is the signed response, not the plain code")
    func jsonVariantAnswersJARM() async throws {
        try await withFlow(.sqlite) { flow in
            let target = try await flow.makeClient()
            let firstParty = try await flow.makeClient(["first_party": true, "scopes": ["openid", "account"]], name: "Account")
            let session = try #require(try await flow.server.server.sessions.resume(cookie: flow.sessionCookie)?.session)
            let token = try await flow.server.accountToken(clientID: firstParty.clientID, user: flow.user, session: session)
            var body = Self.requestBody(for: target, approved: true)
            body["response_mode"] = "jwt"
            let answer = try await Self.authorizeJSON(flow.http, body, bearer: token)
            #expect(answer.status == .ok, "\(answer.text)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.text.utf8)) as? [String: Any], "\(answer.text)")
            #expect(Array(object.keys) == ["response"], "\(object)")
            let jwt = try await AuthorizationAnswer.verifiedWithJWKS(try #require(object["response"] as? String), flow.http)
            AuthorizationAnswer.expectJARMEnvelope(jwt, clientID: target.clientID, now: flow.clock.now)
            #expect(jwt.claims["code"] is String && jwt.claims["state"] as? String == "s-json", "\(jwt.claims)")
        }
    }

    @Test(
        "when a first-party account token approves then the consent is stored and the code is bound to the token's session",
        arguments: TestDatabase.all
    )
    func jsonVariantActsOnTheTokensSession(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let target = try await flow.makeClient()
            let firstParty = try await flow.makeClient(["first_party": true, "scopes": ["openid", "account"]], name: "Account")
            let session = try #require(try await flow.server.server.sessions.resume(cookie: flow.sessionCookie)?.session)
            let token = try await flow.server.accountToken(clientID: firstParty.clientID, user: flow.user, session: session)
            let undecided = try await Self.authorizeJSON(flow.http, Self.requestBody(for: target, approved: nil), bearer: token)
            #expect(undecided.status == .badRequest && undecided.string("error") == "consent_required", "\(undecided.text)")
            let response = try await Self.authorizeJSON(flow.http, Self.requestBody(for: target, approved: true), bearer: token)
            #expect(response.status == .ok, "\(response.text)")
            let code = try #require(response.string("code"))
            let stored = try #require(try await flow.server.server.storage.code(digest: AuthorizationEndpoint.digest(code), tenant: .default))
            #expect(stored.sessionID == session.id)
            #expect(stored.authTime == session.authTime)
            #expect(try await flow.server.server.consents.consent(userID: flow.user.id, clientID: target.clientID)?.covers(["openid"]) == true)
            // Once the session ends, the token acts on nothing.
            _ = try await flow.server.server.endSession.logout(session)
            #expect(try await Self.authorizeJSON(flow.http, Self.requestBody(for: target, approved: true), bearer: token).status == .unauthorized)
        }
    }

    @Test("when the claims parameter asks for a claim outside the client's scopes then no token or UserInfo releases it", arguments: TestDatabase.all)
    func claimsOutsideClientScopes(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient(["scopes": ["openid", "profile"]])
            let claims = #"{"id_token":{"email":null,"name":null},"userinfo":{"email":null,"email_verified":null}}"#
            let (_, idToken, access) = try await openID.idToken(for: client, scope: "openid", extra: ["claims": claims])
            #expect(idToken.claims["email"] == nil, "email released outside the client's scopes: \(idToken.claims)")
            #expect(idToken.claims["name"] as? String == OpenID.userName, "a claim within the client's scopes and consent")
            let info = try await openID.userInfo(bearer: access)
            #expect(info.status == .ok)
            #expect(try info.json()["email"] == nil, "\(info.text)")
        }
    }

    @Test(
        "when the claims parameter asks for a claim the user has not approved then the consent page names it and the consent stores it",
        arguments: TestDatabase.all
    )
    func claimsNeedConsent(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient(["scopes": ["openid", "email"]])
            try await openID.flow.consent(client, scopes: ["openid"])
            let browser = openID.browser()
            let claims = #"{"userinfo":{"email":null}}"#
            let ask = try await browser.get(
                Flow.authorizePath + "?" + FormEncoding.encode(FlowContext.parameters(for: client, scope: "openid", extra: [("claims", claims)]))
            )
            #expect(ask.status == .seeOther)
            let consentPath = try #require(ask.location)
            #expect(consentPath.hasPrefix("\(api)/consent?"), "a consent of openid alone does not cover the email claim: \(consentPath)")
            let page = try await browser.get(consentPath)
            #expect(page.text.contains("Your email address"), "the consent page lists the claim asked for")
            let handle = try #require(URLComponents(string: consentPath)?.queryItems?.first { $0.name == "authorization_request" }?.value)
            let decided = try await browser.submit(
                from: consentPath,
                to: "\(api)/consent",
                [("authorization_request", handle), ("decision", "approve")]
            )
            let consent = try #require(try await openID.server.server.consents.consent(userID: openID.user.id, clientID: client.clientID))
            #expect(consent.claims == ["email"])
            #expect(consent.scopes == ["openid"], "approving a claim does not grant its scope")
            let final = try await browser.get(try #require(decided.location))
            #expect(RedirectQuery(final.location)?["code"] != nil, "\(final.location ?? final.text)")
        }
    }

    @Test(
        "when logout carries an id_token_hint of another session or another user then the browser gets the confirmation page",
        arguments: TestDatabase.all
    )
    func logoutHintMustMatchTheSession(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await LogoutTests.logoutClient(openID)
            let (hint, _, _) = try await openID.idToken(for: client.flowClient)
            // The same user, signed in again in another browser: a new session.
            let other = TestBrowser(openID.http)
            try await other.mustSignIn("alice", goodPassword)
            let response = try await other.get(LogoutTests.logoutQuery([("id_token_hint", hint)]))
            #expect(response.status == .ok, "\(response.status) \(response.location ?? "")")
            #expect(response.text.contains("name=\"confirm\""), "the confirmation form")
            #expect(try await other.isSignedIn(), "a hint of another session signed this one out")
            // Another user signed in: the hint names alice, not bob.
            _ = try await openID.server.makeUser("bob")
            let bob = TestBrowser(openID.http)
            try await bob.mustSignIn("bob", goodPassword)
            let forBob = try await bob.get(LogoutTests.logoutQuery([("id_token_hint", hint)]))
            #expect(forBob.status == .ok && forBob.text.contains("name=\"confirm\""))
            #expect(try await bob.isSignedIn())
            // Control: the session the hint names is signed out at once.
            let own = try await openID.browser().get(LogoutTests.logoutQuery([("id_token_hint", hint)]))
            #expect(own.setCookie(named: BrowserCookieName.session)?.isRemoval == true, "\(own.status)")
        }
    }
}
