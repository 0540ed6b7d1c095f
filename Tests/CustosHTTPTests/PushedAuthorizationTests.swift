import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Pushed authorization requests (RFC 9126) and the security cases C1–C14 and B22: the push
/// authenticates the client as the token endpoint does and validates the request as
/// `/oauth/authorize` would (JSON errors); the `request_uri` is used once, by its client, within
/// 60 s, and then only the pushed parameters count.
@Suite("PAR: pushed authorization requests")
struct PushedAuthorizationTests {
    static let path = "\(api)/oauth/pushed-authorization"
    static let pushedState = "state-pushed"

    /// `POST /oauth/pushed-authorization` with a form body, authenticated as `client` (Basic
    /// for a confidential client, `client_id` in the body for a public one) unless `authenticated` is false.
    static func push(
        _ flow: FlowContext,
        _ fields: [(String, String)],
        as client: FlowClient,
        authenticated: Bool = true
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: OAuthEndpointKit.formType]
        if authenticated, let authorization = client.authorization { headers[.authorization] = authorization }
        return try await flow.http.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: FormEncoding.encode(fields)))
    }

    /// The usual valid request of `client` with the pushed state, `replacing` applied.
    static func fields(_ client: FlowClient, replacing: [String: String?] = [:]) -> [(String, String)] {
        FlowContext.parameters(for: client, state: pushedState, replacing: replacing)
    }

    /// Pushes the usual request and returns its request_uri.
    static func pushed(
        _ flow: FlowContext,
        _ client: FlowClient,
        replacing: [String: String?] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let response = try await push(flow, fields(client, replacing: replacing), as: client)
        try #require(response.status == .created, "push: \(response.status) \(response.text)", sourceLocation: sourceLocation)
        return try #require(response.string("request_uri"), sourceLocation: sourceLocation)
    }

    /// Expects a JSON error answer of the push with `status` and `error`.
    static func expectError(
        _ response: TestResponse,
        _ status: HTTPResponse.Status,
        _ error: String,
        _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, "\(comment): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        #expect(response.string("error") == error, "\(comment): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.string("request_uri") == nil, "\(comment): a request_uri was issued", sourceLocation: sourceLocation)
        #expect(response.location == nil, "\(comment): redirected", sourceLocation: sourceLocation)
    }

    /// Expects the one answer for a request_uri that cannot be used: the error page naming
    /// `invalid_request_uri`, never a redirect. Returns the page text.
    @discardableResult
    static func expectUnusable(_ response: TestResponse, _ comment: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        expectAuthorizationErrorPage(response, comment, sourceLocation: sourceLocation)
        #expect(response.text.contains("request_uri"), "\(comment): \(response.text)", sourceLocation: sourceLocation)
        return response.text
    }

    /// A FAPI 2.0 client (private_key_jwt with an ES256 key) and a valid assertion maker.
    struct FAPIClient {
        let client: FlowClient
        let key: SigningKey

        func assertion(_ flow: FlowContext) throws -> String {
            try signedJWT(
                header: ClientAssertionTests.header(key),
                payload: ClientAssertionTests.claims(flow, clientID: client.clientID),
                key: key
            )
        }

        func credentials(_ flow: FlowContext) throws -> [(String, String)] {
            [("client_assertion_type", ClientAssertionTests.assertionType), ("client_assertion", try assertion(flow))]
        }
    }

    static func fapiClient(_ flow: FlowContext, profile: String = "fapi2", _ extra: [String: Any] = [:]) async throws -> FAPIClient {
        let key = try SigningKey.generate(.ES256)
        var body: [String: Any] = [
            "fapi_profile": profile, "client_auth_methods": ["private_key_jwt"], "jwks": SampleKeys.jwksText([key.verificationKey.jwk]),
            "grant_types": ["authorization_code"],
        ]
        body.merge(extra) { $1 }
        let client = try await flow.makeClient(body)
        try await flow.consent(client)
        return FAPIClient(client: FlowClient(clientID: client.clientID, secret: nil, redirectURI: client.redirectURI), key: key)
    }

    // MARK: The push (C1–C4, C11–C13)

    @Test(
        "C4: when a client pushes a valid request then 201 JSON with no-store, a 256-bit urn request_uri and expires_in 60",
        arguments: TestDatabase.all
    )
    func validPush(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let response = try await Self.push(flow, Self.fields(client), as: client)
            #expect(response.status == .created, "\(response.text)")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(response.headers[.cacheControl] == "no-store")
            let requestURI = try #require(response.string("request_uri"))
            #expect(requestURI.hasPrefix("urn:ietf:params:oauth:request_uri:"))
            let random = requestURI.dropFirst("urn:ietf:params:oauth:request_uri:".count)
            #expect(Base64URL.decode(String(random))?.count == 32, "\(requestURI)")
            #expect(try response.json()["expires_in"] as? Int == 60)
            let other = try await Self.pushed(flow, client)
            #expect(other != requestURI)
        }
    }

    @Test(
        "when a client pushes the swagger's JSON body with client_secret_post then 201, and an array member is a 400",
        arguments: TestDatabase.all
    )
    func jsonBody(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["client_auth_methods": ["client_secret_post"]])
            var body = Dictionary(Self.fields(client), uniquingKeysWith: { $1 })
            body["client_secret"] = client.secret
            let headers: HTTPFields = [.contentType: "application/json"]
            let response = try await flow.http.execute(
                uri: Self.path,
                method: .post,
                headers: headers,
                body: ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body)))
            )
            #expect(response.status == .created, "\(response.text)")
            let requestURI = try #require(response.string("request_uri"))
            // The secret authenticated the push; it is not a parameter of the request.
            try await flow.consent(client)
            let authorized = try await flow.authorize([("client_id", client.clientID), ("request_uri", requestURI)])
            let query = try #require(RedirectQuery(authorized.location), "\(authorized.status) \(authorized.text)")
            #expect(query["state"] == Self.pushedState)

            var withArray: [String: Any] = body
            withArray["resources"] = ["https://rs.example.com"]
            let refused = try await flow.http.execute(
                uri: Self.path,
                method: .post,
                headers: headers,
                body: ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: withArray)))
            )
            Self.expectError(refused, .badRequest, "invalid_request", "array member")
        }
    }

    @Test("C1: when a confidential client pushes without client authentication then 401 invalid_client", arguments: TestDatabase.all)
    func unauthenticated(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            Self.expectError(
                try await Self.push(flow, Self.fields(client), as: client, authenticated: false),
                .unauthorized,
                "invalid_client",
                "no auth"
            )
            let wrong = FlowClient(clientID: client.clientID, secret: "not-the-secret", redirectURI: client.redirectURI)
            Self.expectError(try await Self.push(flow, Self.fields(client), as: wrong), .unauthorized, "invalid_client", "wrong secret")
        }
    }

    @Test(
        "C2: when the pushed body carries request_uri, or a client_id other than the authenticated client, then 400 invalid_request",
        arguments: TestDatabase.all
    )
    func refusedParameters(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let other = try await flow.makeClient(name: "Other")
            let withURI = try await Self.push(flow, Self.fields(client, replacing: ["request_uri": "urn:x"]), as: client)
            Self.expectError(withURI, .badRequest, "invalid_request", "request_uri pushed")
            let foreign = try await Self.push(flow, Self.fields(client, replacing: ["client_id": other.clientID]), as: client)
            Self.expectError(foreign, .badRequest, "invalid_request", "client_id of another client")
        }
    }

    @Test("C3: when the endpoint is called with GET then 405", arguments: [TestDatabase.sqlite])
    func otherMethods(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            for method in [HTTPRequest.Method.get, .put, .delete] {
                let response = try await flow.http.execute(
                    uri: Self.path + "?" + FormEncoding.encode(Self.fields(client)),
                    method: method,
                    headers: [.authorization: client.authorization ?? ""],
                    body: nil
                )
                #expect(response.status == .methodNotAllowed, "\(method): \(response.status) \(response.text)")
                #expect(response.headers[.allow] == "POST")
                #expect(response.string("request_uri") == nil)
            }
        }
    }

    @Test(
        "C11: when a pushed request is one /oauth/authorize would refuse then the push answers the same error as JSON 400",
        arguments: TestDatabase.all
    )
    func validatedAsAuthorize(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let cases: [(String, [String: String?], String)] = [
                ("unregistered redirect_uri", ["redirect_uri": "https://evil.example.com/cb"], "invalid_request"),
                ("response_type token", ["response_type": "token"], "unsupported_response_type"),
                ("no response_type", ["response_type": nil], "invalid_request"),
                ("scope beyond the client", ["scope": "openid admin"], "invalid_scope"),
                ("plain PKCE", ["code_challenge_method": "plain"], "invalid_request"),
                ("no PKCE", ["code_challenge": nil, "code_challenge_method": nil], "invalid_request"),
                ("bad max_age", ["max_age": "-1"], "invalid_request"),
                ("bad response_mode", ["response_mode": "fragment"], "invalid_request"),
            ]
            for (comment, replacing, error) in cases {
                Self.expectError(try await Self.push(flow, Self.fields(client, replacing: replacing), as: client), .badRequest, error, comment)
            }
        }
    }

    @Test(
        "C12: when a FAPI 2.0 client pushes without redirect_uri then 400 invalid_request, and with it the push succeeds",
        arguments: TestDatabase.all
    )
    func fapiNeedsRedirectURI(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let fapi = try await Self.fapiClient(flow)
            let without = try await Self.push(
                flow,
                Self.fields(fapi.client, replacing: ["redirect_uri": nil]) + (try fapi.credentials(flow)),
                as: fapi.client
            )
            Self.expectError(without, .badRequest, "invalid_request", "FAPI without redirect_uri")
            // A non-FAPI client with one registered URI may omit it (OAuth 2.1 §2.3.2).
            let plain = try await flow.makeClient()
            #expect(try await Self.push(flow, Self.fields(plain, replacing: ["redirect_uri": nil]), as: plain).status == .created)
            let with = try await Self.push(flow, Self.fields(fapi.client) + (try fapi.credentials(flow)), as: fapi.client)
            #expect(with.status == .created, "\(with.text)")
        }
    }

    @Test(
        "pinned rule 5: when a private_key_jwt client's assertion names the PAR endpoint as aud then the push is accepted, but not from a FAPI client",
        arguments: TestDatabase.all
    )
    func assertionAudience(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let parURL = Flow.issuer + Self.path
            let keyClient = try await ClientAssertionTests.keyClient(flow)
            let client = FlowClient(clientID: keyClient.clientID, secret: nil, redirectURI: Flow.redirectURI)
            let assertion = try signedJWT(
                header: ClientAssertionTests.header(keyClient.key),
                payload: ClientAssertionTests.claims(flow, clientID: client.clientID, ["aud": parURL]),
                key: keyClient.key
            )
            let accepted = try await Self.push(
                flow,
                Self.fields(client) + [("client_assertion_type", ClientAssertionTests.assertionType), ("client_assertion", assertion)],
                as: client
            )
            #expect(accepted.status == .created, "\(accepted.text)")

            let fapi = try await Self.fapiClient(flow)
            let fapiAssertion = try signedJWT(
                header: ClientAssertionTests.header(fapi.key),
                payload: ClientAssertionTests.claims(flow, clientID: fapi.client.clientID, ["aud": parURL]),
                key: fapi.key
            )
            let refused = try await Self.push(
                flow,
                Self.fields(fapi.client) + [
                    ("client_assertion_type", ClientAssertionTests.assertionType), ("client_assertion", fapiAssertion),
                ],
                as: fapi.client
            )
            Self.expectError(refused, .unauthorized, "invalid_client", "FAPI assertion with the PAR URL as aud")
        }
    }

    @Test("C13: when the pushed body is 2 MB then 413", arguments: [TestDatabase.sqlite])
    func oversizedBody(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let large = FormEncoding.encode(Self.fields(client) + [("state", String(repeating: "a", count: 2 << 20))])
            let response = try await flow.http.execute(
                uri: Self.path,
                method: .post,
                headers: [.contentType: OAuthEndpointKit.formType, .authorization: client.authorization ?? ""],
                body: ByteBuffer(string: large)
            )
            #expect(response.status == .contentTooLarge, "\(response.status)")
            #expect(response.string("request_uri") == nil)
        }
    }

    @Test(
        "C13: when a client pushes past the per-client rate then 429 with Retry-After, and other clients are still served",
        arguments: TestDatabase.all
    )
    func rateLimited(database: TestDatabase) async throws {
        try await withFlow(database, configure: { $0.rateLimits.tokenPerClient = RateLimitPolicy(limit: 2, window: 3_600) }) { flow in
            let client = try await flow.makeClient()
            let other = try await flow.makeClient(name: "Other")
            _ = try await Self.pushed(flow, client)
            _ = try await Self.pushed(flow, client)
            let limited = try await Self.push(flow, Self.fields(client), as: client)
            #expect(limited.status == .tooManyRequests, "\(limited.status) \(limited.text)")
            #expect(limited.headers[.retryAfter].flatMap { Int($0) }.map { $0 > 0 } == true, "\(limited.headers)")
            #expect(limited.string("request_uri") == nil)
            _ = try await Self.pushed(flow, other)
        }
    }

    // MARK: Using the request_uri (C5, C7–C9, C14)

    @Test(
        "C9: when /authorize gets only client_id and request_uri then the pushed request is authorized; other query parameters are ignored",
        arguments: TestDatabase.all
    )
    func authorizeWithRequestURI(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let requestURI = try await Self.pushed(flow, client, replacing: ["nonce": "n-pushed"])
            // RFC 9126 §4: only the pushed parameters count; the query's are ignored.
            let response = try await flow.authorize([
                ("client_id", client.clientID), ("request_uri", requestURI), ("state", "from-query"),
                ("redirect_uri", "https://evil.example.com/cb"), ("scope", "openid email"), ("prompt", "none"),
            ])
            #expect(response.status == .found, "\(response.status) \(response.text)")
            let query = try #require(RedirectQuery(response.location))
            #expect(query.base == client.redirectURI)
            #expect(query["state"] == Self.pushedState)
            #expect(query["iss"] == Flow.issuer)
            let code = try #require(query["code"])
            let tokens = try await flow.redeem(code, client: client)
            #expect(tokens.status == .ok, "\(tokens.text)")
            let idToken = try #require(tokens.string("id_token"))
            let claims = try verifyJWT(idToken, keys: flow.server.server.keys).claims
            #expect(claims["nonce"] as? String == "n-pushed")
            #expect(try tokens.json()["scope"] as? String == "openid profile")
        }
    }

    @Test(
        "C5: when a request_uri was used then a second /authorize with it is the invalid_request_uri error page, never a redirect",
        arguments: TestDatabase.all
    )
    func replay(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let requestURI = try await Self.pushed(flow, client)
            let first = try await flow.authorize([("client_id", client.clientID), ("request_uri", requestURI)])
            #expect(first.status == .found, "\(first.text)")
            let again = try await flow.authorize([("client_id", client.clientID), ("request_uri", requestURI)])
            Self.expectUnusable(again, "replay")
        }
    }

    @Test(
        "C7, C14: when a request_uri has expired or was never issued then the same invalid_request_uri error page answers both",
        arguments: TestDatabase.all
    )
    func expiredAndUnknown(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let requestURI = try await Self.pushed(flow, client)
            flow.clock.advance(by: 61)
            let expired = Self.expectUnusable(
                try await flow.authorize([("client_id", client.clientID), ("request_uri", requestURI)]),
                "expired"
            )
            let guessed = "urn:ietf:params:oauth:request_uri:" + Base64URL.encode(SecureRandom.bytes(32))
            let unknown = Self.expectUnusable(try await flow.authorize([("client_id", client.clientID), ("request_uri", guessed)]), "guessed")
            #expect(expired == unknown, "no oracle between unknown and expired")
            Self.expectUnusable(
                try await flow.authorize([("client_id", client.clientID), ("request_uri", "urn:ietf:params:oauth:request_uri:")]),
                "empty"
            )
        }
    }

    @Test(
        "C8: when client B presents client A's request_uri then the error page, nothing goes to B's redirect URI, and A can still use it",
        arguments: TestDatabase.all
    )
    func otherClient(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let owner = try await flow.makeClient()
            let thief = try await flow.makeClient(["redirect_uris": ["https://thief.example.com/cb"]], name: "Thief")
            try await flow.consent(owner)
            try await flow.consent(thief)
            let requestURI = try await Self.pushed(flow, owner)
            let stolen = try await flow.authorize([("client_id", thief.clientID), ("request_uri", requestURI)])
            let page = Self.expectUnusable(stolen, "another client's request_uri")
            let guessed = "urn:ietf:params:oauth:request_uri:" + Base64URL.encode(SecureRandom.bytes(32))
            let unknown = try await flow.authorize([("client_id", thief.clientID), ("request_uri", guessed)])
            #expect(page == unknown.text, "another client's answers as an unknown one")
            // Without client_id the request names no client: refused too.
            expectAuthorizationErrorPage(try await flow.authorize([("request_uri", requestURI)]), "no client_id")
            let own = try await flow.authorize([("client_id", owner.clientID), ("request_uri", requestURI)])
            #expect(RedirectQuery(own.location)?["code"] != nil, "\(own.status) \(own.text)")
        }
    }

    @Test(
        "when the user must sign in and consent then the pending request keeps the pushed parameters through the login and consent pages",
        arguments: TestDatabase.all
    )
    func browserFlow(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let requestURI = try await Self.pushed(flow, client, replacing: ["scope": "openid email"])
            let browser = TestBrowser(flow.http)
            let first = try await browser.get(
                Flow.authorizePath + "?" + FormEncoding.encode([("client_id", client.clientID), ("request_uri", requestURI)])
            )
            #expect(first.status == .seeOther, "\(first.status) \(first.text)")
            let toLogin = try #require(first.location)
            let returnTo = try #require(URLComponents(string: toLogin)?.queryItems?.first { $0.name == "return_to" }?.value)
            #expect(returnTo.hasPrefix(Flow.authorizePath + "?authorization_request="), "\(returnTo)")
            let login = try await browser.signIn("alice", goodPassword, returnTo: returnTo, clientID: client.clientID)
            let back = try #require(login.location, "sign-in: \(login.status) \(login.alertMessage ?? "")")
            let second = try await browser.get(back)
            let toConsent = try #require(second.location, "\(second.status) \(second.text)")
            let handle = try #require(URLComponents(string: toConsent)?.queryItems?.first { $0.name == "authorization_request" }?.value)
            let consentPage = try await browser.get(toConsent)
            #expect(consentPage.text.contains("email"), "the consent page shows the pushed scope")
            let decision = try await browser.submit(
                from: toConsent,
                to: "\(api)/consent",
                [("authorization_request", handle), ("decision", "approve")]
            )
            let resumed = try #require(decision.location, "\(decision.status) \(decision.text)")
            let final = try await browser.get(resumed)
            let query = try #require(RedirectQuery(final.location), "\(final.status) \(final.text)")
            #expect(query.base == client.redirectURI)
            #expect(query["state"] == Self.pushedState)
            let code = try #require(query["code"])
            let tokens = try await flow.redeem(code, client: client)
            #expect(tokens.status == .ok, "\(tokens.text)")
            #expect(try tokens.json()["scope"] as? String == "openid email")
        }
    }

    @Test(
        "when a client pushes a signed request object then its parameters are the pushed request, and a bad object is refused at the push",
        arguments: TestDatabase.all
    )
    func pushedRequestObject(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await RequestObjectTests.keyClient(flow, key: key)
            let object = try RequestObjectTests.signed(RequestObjectTests.claims(flow, for: client), key: key)
            let response = try await Self.push(flow, [("client_id", client.clientID), ("request", object)], as: client)
            #expect(response.status == .created, "\(response.text)")
            let requestURI = try #require(response.string("request_uri"))
            let authorized = try await flow.authorize([("client_id", client.clientID), ("request_uri", requestURI)])
            try RequestObjectTests.expectAccepted(authorized, client: client, "pushed object")

            let foreignKey = try SigningKey.generate(.ES256)
            let forged = try RequestObjectTests.signed(RequestObjectTests.claims(flow, for: client), key: foreignKey)
            let refused = try await Self.push(flow, [("client_id", client.clientID), ("request", forged)], as: client)
            Self.expectError(refused, .badRequest, "invalid_request_object", "object signed by another key")
            // The object's jti was used by the first push.
            let replayed = try await Self.push(flow, [("client_id", client.clientID), ("request", object)], as: client)
            Self.expectError(replayed, .badRequest, "invalid_request_object", "object replayed")
        }
    }

    // MARK: PAR required (B22)

    @Test(
        "B22: when a fapi2 client sends a plain authorization request then the error page invalid_request; through PAR it gets a code",
        arguments: TestDatabase.all
    )
    func fapiRequiresPAR(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            // fapi2_message_signing pushes signed objects only: FAPIProfileFlowTests.messageSigning.
            for profile in ["fapi2"] {
                let fapi = try await Self.fapiClient(flow, profile: profile)
                let plain = try await flow.authorize(Self.fields(fapi.client))
                expectAuthorizationErrorPage(plain, "\(profile) without PAR")
                #expect(plain.text.contains("push"), "\(plain.text)")
                let pushed = try await Self.push(flow, Self.fields(fapi.client) + (try fapi.credentials(flow)), as: fapi.client)
                let requestURI = try #require(pushed.string("request_uri"), "\(pushed.text)")
                let authorized = try await flow.authorize([("client_id", fapi.client.clientID), ("request_uri", requestURI)])
                // fapi2_message_signing answers through JARM only: the code is inside `response`.
                let answer = profile == "fapi2" ? "code" : "response"
                #expect(RedirectQuery(authorized.location)?[answer] != nil, "\(profile): \(authorized.status) \(authorized.text)")
            }
        }
    }

    @Test(
        "when a client registered require_pushed_authorization_requests then its plain requests are refused, other clients' are not",
        arguments: TestDatabase.all
    )
    func clientRequiresPAR(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let strict = try await flow.makeClient(["require_pushed_authorization_requests": true])
            let relaxed = try await flow.makeClient(name: "Relaxed")
            try await flow.consent(strict)
            try await flow.consent(relaxed)
            expectAuthorizationErrorPage(try await flow.authorize(Self.fields(strict)), "client requires PAR")
            #expect(RedirectQuery(try await flow.authorize(Self.fields(relaxed)).location)?["code"] != nil)
            let requestURI = try await Self.pushed(flow, strict)
            let authorized = try await flow.authorize([("client_id", strict.clientID), ("request_uri", requestURI)])
            #expect(RedirectQuery(authorized.location)?["code"] != nil, "\(authorized.status) \(authorized.text)")
        }
    }

    @Test(
        "when the server requires PAR (CUSTOS_REQUIRE_PAR) then every plain request is refused, PAR works, and discovery says so",
        arguments: TestDatabase.all
    )
    func serverRequiresPAR(database: TestDatabase) async throws {
        try await withFlow(database, configure: { $0.requiresPushedAuthorizationRequests = true }) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            expectAuthorizationErrorPage(try await flow.authorize(Self.fields(client)), "server requires PAR")
            let requestURI = try await Self.pushed(flow, client)
            let authorized = try await flow.authorize([("client_id", client.clientID), ("request_uri", requestURI)])
            #expect(RedirectQuery(authorized.location)?["code"] != nil, "\(authorized.status) \(authorized.text)")
            let discovery = try await flow.http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil)
            #expect(try discovery.json()["require_pushed_authorization_requests"] as? Bool == true)
        }
    }

    @Test("when discovery is read then it announces the PAR endpoint and that PAR is not required by default", arguments: [TestDatabase.sqlite])
    func discovery(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let response = try await flow.http.execute(uri: "/.well-known/oauth-authorization-server", method: .get, headers: [:], body: nil)
            let document = try response.json()
            #expect(document["pushed_authorization_request_endpoint"] as? String == Flow.issuer + Self.path)
            #expect(document["require_pushed_authorization_requests"] as? Bool == false)
        }
    }
}
