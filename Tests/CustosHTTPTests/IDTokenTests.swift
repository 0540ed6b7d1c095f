import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// ID tokens from the code flow (OpenID Connect Core §2, §3.1.3.3, §3.1.3.6, §3.1.3.7): the
/// claims, the nonce, at_hash, the signature and its algorithm, and the authorization
/// request parameters that decide whether the user must sign in again (§3.1.2.1).
@Suite("OpenID: ID tokens")
struct IDTokenTests {
    @Test(
        "when openid is granted then the ID token carries iss, sub, aud and azp = client_id, iat, exp, auth_time, sid and amr",
        arguments: TestDatabase.all
    )
    func claims(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let issuedAt = Int(openID.clock.now.timeIntervalSince1970)
            let (_, token, _) = try await openID.idToken(for: client)
            let claims = token.claims
            #expect(token.header["typ"] as? String == "JWT")
            #expect(claims["iss"] as? String == Flow.issuer)
            #expect(claims["sub"] as? String == openID.user.id, "public subject: the user id")
            // §2: aud contains the client_id; a single audience may be a string.
            let audience = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String] ?? [])
            #expect(audience == [client.clientID], "aud: \(claims["aud"] ?? "nil")")
            #expect(claims["azp"] as? String == client.clientID)
            #expect(claims["iat"] as? Int == issuedAt)
            let exp = try #require(claims["exp"] as? Int)
            #expect(exp > issuedAt && exp <= issuedAt + 3_600, "exp \(exp), iat \(issuedAt)")
            #expect(claims["auth_time"] as? Int == openID.sessionAuthTime, "auth_time is the session's sign-in time")
            #expect(claims["sid"] as? String == openID.session.id, "sid is the browser session's id")
            #expect(claims["amr"] as? [String] == ["pwd"])
        }
    }

    @Test(
        "when the request has no nonce then the ID token has none, and with an access token the profile claims stay at userinfo",
        arguments: TestDatabase.all
    )
    func noNonceNoProfileClaims(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let (_, token, _) = try await openID.idToken(for: client, scope: "openid profile email")
            #expect(token.claims["nonce"] == nil, "\(token.claims)")
            // Core §5.4: with an access token issued, scope-requested claims are returned from userinfo.
            for name in ["name", "email", "email_verified", "preferred_username"] {
                #expect(token.claims[name] == nil, "\(name) in the ID token: \(token.claims)")
            }
        }
    }

    @Test("when a nonce is sent then the ID token echoes it exactly, special characters included", arguments: TestDatabase.all)
    func nonceEcho(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            for nonce in ["n-0S6_WzA2Mj", "a nonce with spaces + plus/slash=equals&amp;", "ünïcödé-☃"] {
                let (_, token, _) = try await openID.idToken(for: client, extra: ["nonce": nonce])
                #expect(token.claims["nonce"] as? String == nonce)
            }
        }
    }

    @Test("when two requests carry different nonces then each ID token carries its own request's nonce", arguments: TestDatabase.all)
    func nonceNotMixedUp(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let first = try await openID.flow.code(for: client, replacing: ["nonce": "nonce-one"])
            let second = try await openID.flow.code(for: client, replacing: ["nonce": "nonce-two"])
            // Redeemed in the opposite order.
            let secondToken = try #require(try await openID.flow.redeem(second, client: client).string("id_token"))
            let firstToken = try #require(try await openID.flow.redeem(first, client: client).string("id_token"))
            #expect(try verifyJWT(firstToken, keys: openID.keys).claims["nonce"] as? String == "nonce-one")
            #expect(try verifyJWT(secondToken, keys: openID.keys).claims["nonce"] as? String == "nonce-two")
        }
    }

    @Test("when an access token is issued with the ID token then at_hash is the left half of its SHA-256, base64url", arguments: TestDatabase.all)
    func atHash(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let (_, token, access) = try await openID.idToken(for: client)
            let atHash = try #require(token.claims["at_hash"] as? String, "no at_hash: \(token.claims)")
            #expect(atHash == IDTokenBuilder.halfHash(access, algorithm: .RS256))
            #expect(atHash.count == 22, "16 bytes of SHA-256, unpadded: \(atHash)")
            #expect(atHash != IDTokenBuilder.halfHash(access + "x", algorithm: .RS256))
        }
    }

    @Test(
        "when the client registered no algorithm then the ID token is RS256 with a kid published in the JWKS, and verifies",
        arguments: TestDatabase.all
    )
    func rs256ByDefault(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let (raw, token, _) = try await openID.idToken(for: client)
            #expect(token.header["alg"] as? String == "RS256")
            let kid = try #require(token.header["kid"] as? String)
            let published = try #require(try await openID.publishedKeys()[kid], "kid \(kid) is not in the JWKS")
            #expect(published["kty"] as? String == "RSA")
            #expect(published["alg"] as? String == "RS256")
            // The signature covers the payload: a changed claim no longer verifies.
            let parts = raw.split(separator: ".").map(String.init)
            var claims = token.claims
            claims["sub"] = "someone-else"
            let forged = parts[0] + "." + Base64URL.encode(try JSONSerialization.data(withJSONObject: claims)) + "." + parts[2]
            #expect(throws: JWTVerifier.Failure.badSignature) { try JWTVerifier(keys: openID.keys).verify(forged, type: "jwt") }
        }
    }

    @Test(
        "when the client registered id_token_signed_response_alg through registration then its ID tokens use that algorithm",
        arguments: TestDatabase.all,
        ["ES256", "PS256", "EdDSA"]
    )
    func registeredAlgorithm(database: TestDatabase, algorithm: String) async throws {
        try await withOpenID(database) { openID in
            let registered = try await Registration.register(openID.http, ["id_token_signed_response_alg": algorithm])
            let (_, token, access) = try await openID.idToken(for: registered.flowClient)
            #expect(token.header["alg"] as? String == algorithm)
            let kid = try #require(token.header["kid"] as? String)
            #expect(try await openID.publishedKeys()[kid]?["alg"] as? String == algorithm, "kid \(kid) is not a published \(algorithm) key")
            let alg = try #require(SigningAlgorithm(rawValue: algorithm))
            #expect(token.claims["at_hash"] as? String == IDTokenBuilder.halfHash(access, algorithm: alg))
            // EdDSA over Ed25519 hashes with SHA-512: the half is 32 bytes.
            #expect((token.claims["at_hash"] as? String)?.count == (algorithm == "EdDSA" ? 43 : 22))
            #expect(token.claims["aud"] as? String == registered.clientID)
        }
    }

    @Test("when openid is not among the granted scopes then no ID token is issued", arguments: TestDatabase.all)
    func noOpenIDNoIDToken(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let body = try await openID.tokenResponse(for: client, scope: "profile email")
            #expect(body["access_token"] as? String != nil)
            #expect(body["id_token"] == nil, "\(body)")
        }
    }

    // MARK: prompt and max_age

    @Test(
        "when prompt=none comes without a session then the client gets login_required with state and iss, and no page is shown",
        arguments: TestDatabase.all
    )
    func promptNoneWithoutSession(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            try await openID.flow.consent(client)
            let response = try await openID.flow.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["prompt": "none"]),
                signedIn: false
            )
            expectRedirectError(response, to: client.redirectURI, error: "login_required", "prompt=none without a session")
        }
    }

    @Test(
        "when prompt=none comes with a session but no consent then consent_required; with consent a code without any page",
        arguments: TestDatabase.all
    )
    func promptNoneWithSession(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let parameters = FlowContext.parameters(for: client, scope: "openid", replacing: ["prompt": "none"])
            expectRedirectError(try await openID.flow.authorize(parameters), to: client.redirectURI, error: "consent_required", "no consent")
            try await openID.flow.consent(client)
            let response = try await openID.flow.authorize(parameters)
            #expect(response.status == .found, "\(response.status) \(response.text)")
            #expect(RedirectQuery(response.location)?["code"] != nil, "\(response.location ?? "nil")")
        }
    }

    @Test("when prompt=login is sent with a fresh session then the browser is sent to sign in again", arguments: TestDatabase.all)
    func promptLogin(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            try await openID.flow.consent(client)
            let response = try await openID.flow.authorize(FlowContext.parameters(for: client, replacing: ["prompt": "login"]))
            try Self.expectSignInRedirect(response)
        }
    }

    @Test("when max_age=0 is sent then the user must sign in again, and the ID token's auth_time is that new sign-in", arguments: TestDatabase.all)
    func maxAgeZeroForcesSignIn(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            try await openID.flow.consent(client)
            openID.clock.advance(by: 5)
            let browser = openID.browser()
            let query = FormEncoding.encode(FlowContext.parameters(for: client, replacing: ["max_age": "0"]))
            let first = try await browser.get(Flow.authorizePath + "?" + query)
            let returnTo = try Self.expectSignInRedirect(first)

            let signIn = try await browser.signIn("alice", goodPassword, returnTo: returnTo, clientID: client.clientID)
            #expect(signIn.status == .seeOther, "\(signIn.status) \(signIn.alertMessage ?? "")")
            #expect(signIn.location == returnTo)
            let newSignIn = Int(openID.clock.now.timeIntervalSince1970)
            #expect(browser.cookie(BrowserCookieName.session) != openID.flow.sessionCookie, "a new session was started")

            // Back at the authorization endpoint the fresh sign-in satisfies max_age=0.
            let back = try await browser.get(returnTo)
            #expect(back.status == .found, "\(back.status) \(back.location ?? back.text)")
            let code = try #require(RedirectQuery(back.location)?["code"], "no code: \(back.location ?? "nil")")
            let response = try await openID.flow.redeem(code, client: client)
            let idToken = try #require(response.string("id_token"), "\(response.text)")
            let claims = try verifyJWT(idToken, keys: openID.keys).claims
            #expect(claims["auth_time"] as? Int == newSignIn, "auth_time is the new sign-in, not the old session")
            #expect(claims["auth_time"] as? Int != openID.sessionAuthTime)
            #expect(claims["sid"] as? String != openID.session.id, "the code belongs to the new session")
        }
    }

    @Test(
        "when max_age=0 is sent in the same second the user signed in then a new sign-in is still required (max_age=0 is prompt=login)",
        arguments: TestDatabase.all
    )
    func maxAgeZeroAtSignInInstant(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            try await openID.flow.consent(client)
            // The clock has not moved since the sign-in: elapsed time is 0.
            let response = try await openID.flow.authorize(FlowContext.parameters(for: client, replacing: ["max_age": "0"]))
            try Self.expectSignInRedirect(response, "max_age=0 with a 0-second-old session")
        }
    }

    @Test("when max_age is longer than the session's age then no sign-in is asked and auth_time is present", arguments: TestDatabase.all)
    func maxAgeSatisfied(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            openID.clock.advance(by: 30)
            let (_, token, _) = try await openID.idToken(for: client, extra: ["max_age": "3600"])
            #expect(token.claims["auth_time"] as? Int == openID.sessionAuthTime)
        }
    }

    @Test("when the session is older than max_age then the user must sign in again", arguments: TestDatabase.all)
    func maxAgeExceeded(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            try await openID.flow.consent(client)
            openID.clock.advance(by: 120)
            let response = try await openID.flow.authorize(FlowContext.parameters(for: client, replacing: ["max_age": "60"]))
            try Self.expectSignInRedirect(response)
            // prompt=none cannot sign anyone in: login_required instead of a page.
            let silent = try await openID.flow.authorize(
                FlowContext.parameters(for: client, replacing: ["max_age": "60", "prompt": "none"])
            )
            expectRedirectError(silent, to: client.redirectURI, error: "login_required", "max_age exceeded with prompt=none")
        }
    }

    @Test("when a client registered default_max_age and the session is older then the user must sign in again", arguments: TestDatabase.all)
    func defaultMaxAge(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let registered = try await Registration.register(openID.http, ["default_max_age": 60])
            let client = registered.flowClient
            try await openID.flow.consent(client)
            openID.clock.advance(by: 120)
            let response = try await openID.flow.authorize(FlowContext.parameters(for: client))
            try Self.expectSignInRedirect(response, "default_max_age 60 with a 120-second-old session")
        }
    }

    /// Expects the 303 to the sign-in page that forces a new sign-in; returns its `return_to`.
    @discardableResult
    static func expectSignInRedirect(
        _ response: TestResponse,
        _ comment: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        try #require(
            response.status == .seeOther,
            "\(comment): expected a sign-in redirect, got \(response.status) \(response.location ?? "")",
            sourceLocation: sourceLocation
        )
        let location = try #require(response.location, sourceLocation: sourceLocation)
        let components = try #require(URLComponents(string: location), sourceLocation: sourceLocation)
        #expect(components.path == "\(api)/login", "\(comment): \(location)", sourceLocation: sourceLocation)
        let items = components.queryItems ?? []
        #expect(items.contains { $0.name == "prompt" && $0.value == "login" }, "\(comment): \(location)", sourceLocation: sourceLocation)
        #expect(!location.contains("code="), sourceLocation: sourceLocation)
        let returnTo = try #require(items.first { $0.name == "return_to" }?.value, sourceLocation: sourceLocation)
        #expect(returnTo.hasPrefix(Flow.authorizePath + "?"), "\(comment): \(returnTo)", sourceLocation: sourceLocation)
        return returnTo
    }
}

/// The OpenID Provider metadata (OpenID Connect Discovery 1.0 §3) for what this server does.
@Suite("OpenID: discovery (IDToken suites)")
struct IDTokenDiscoveryTests {
    @Test(
        "when the OpenID configuration is read then it lists userinfo, end-session and registration endpoints, pairwise, RS256, claims and logout support",
        arguments: TestDatabase.all
    )
    func openIDConfiguration(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await server.run { http in
            let response = try await http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            let document = try response.json()
            #expect(document["issuer"] as? String == Flow.issuer)
            #expect(document["userinfo_endpoint"] as? String == Flow.issuer + OpenID.userInfoPath)
            #expect(document["end_session_endpoint"] as? String == Flow.issuer + OpenID.logoutPath)
            #expect(document["registration_endpoint"] as? String == Flow.issuer + OpenID.registerPath)
            let subjectTypes = Set(document["subject_types_supported"] as? [String] ?? [])
            #expect(subjectTypes.isSuperset(of: ["public", "pairwise"]), "\(subjectTypes)")
            let algorithms = Set(document["id_token_signing_alg_values_supported"] as? [String] ?? [])
            #expect(algorithms.isSuperset(of: ["RS256", "ES256", "PS256", "EdDSA"]), "\(algorithms)")
            #expect(!algorithms.contains("none"))
            #expect(Set(document["userinfo_signing_alg_values_supported"] as? [String] ?? []).contains("RS256"))
            let claims = Set(document["claims_supported"] as? [String] ?? [])
            #expect(
                claims.isSuperset(of: ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid", "name", "email", "email_verified"]),
                "\(claims)"
            )
            #expect(document["backchannel_logout_supported"] as? Bool == true)
            #expect(document["backchannel_logout_session_supported"] as? Bool == true)
            #expect(document["frontchannel_logout_supported"] as? Bool == true)
            #expect((document["response_types_supported"] as? [String])?.contains("code") == true)
            #expect((document["scopes_supported"] as? [String])?.contains("openid") == true)

            // Every advertised OpenID endpoint is served: none answers 404.
            let userinfo = try await http.execute(uri: OpenID.userInfoPath, method: .get, headers: [:], body: nil)
            #expect(userinfo.status == .unauthorized, "userinfo without a token: \(userinfo.status)")
            let logout = try await http.execute(uri: OpenID.logoutPath, method: .get, headers: [:], body: nil)
            #expect(logout.status != .notFound, "end_session_endpoint: \(logout.status)")
            let register = try await Registration.post(http, rawBody: "{}")
            #expect(register.status != .notFound, "registration_endpoint: \(register.status)")
        }
    }

    @Test("when the OAuth metadata document and the OpenID one are read then they agree on the OpenID members", arguments: TestDatabase.all)
    func bothDocumentsAgree(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await server.run { http in
            let openID = try await http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil).json()
            let oauth = try await http.execute(uri: "/.well-known/oauth-authorization-server", method: .get, headers: [:], body: nil).json()
            for name in ["userinfo_endpoint", "end_session_endpoint", "registration_endpoint"] {
                #expect(oauth[name] as? String == openID[name] as? String, "\(name)")
            }
        }
    }
}
