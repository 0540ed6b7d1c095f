import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// Rich authorization requests (RFC 9396) through `CoreHarness`: details asked for at the
/// authorization endpoint, PAR or in a request object are approved per request, carried by
/// the code, and granted — possibly narrowed, never widened — in the token response, the JWT
/// access token, introspection and every refresh.
@Suite("Core protocol: rich authorization requests (RFC 9396)")
struct RichAuthorizationCoreTests {
    static let granted = #"""
        [{"type":"account_information","actions":["list_accounts","read_balances"],"locations":["https://bank.example/accounts"]},
         {"type":"payment_initiation","actions":["initiate"],"instructedAmount":{"currency":"EUR","amount":"123.50"},"urgent":true}]
        """#
    static let narrower = #"[{"type":"account_information","actions":["read_balances"],"locations":["https://bank.example/accounts"]}]"#
    static let wider =
        #"[{"type":"account_information","actions":["list_accounts","read_balances","write"],"locations":["https://bank.example/accounts"]}]"#

    static func client(
        _ harness: CoreHarness,
        format: String = "jwt",
        types: [String] = ["account_information", "payment_initiation"],
        isConfidential: Bool = true,
        requestObjectSigningAlg: String? = nil
    )
        async throws -> CreatedClient
    {
        var request = ClientRegistrationRequest(
            name: "Bank App",
            redirectURIs: [CoreProtocolTests.redirectURI],
            grantTypes: ["authorization_code", "refresh_token"],
            isConfidential: isConfidential,
            scopes: ["openid", "offline_access"]
        )
        request.accessTokenFormat = format
        request.requestObjectSigningAlg = requestObjectSigningAlg
        request.metadataMembers = ["authorization_details_types": .array(types.map(JSONValue.string))]
        return try await harness.register(request)
    }

    static func parameters(_ client: CreatedClient, details: String = granted) -> [String: String] {
        [
            "response_type": "code", "client_id": client.client.clientID, "redirect_uri": CoreProtocolTests.redirectURI,
            "scope": "openid offline_access", "state": "s-rar", "code_challenge": CoreProtocolTests.challenge,
            "code_challenge_method": "S256", "authorization_details": details,
        ]
    }

    /// A code for `parameters`, approved by a first-party decision (as the consent page's answer would).
    static func code(_ harness: CoreHarness, _ parameters: [String: String], signedIn: AuthorizationEndpoint.SignedIn) async throws -> String {
        let outcome = try await harness.server.authorizationEndpoint.authorize(
            AuthorizationRequest(parameters: parameters),
            session: signedIn,
            decision: .approved,
            keepsPending: false
        )
        guard case .code(let code, _) = outcome else { throw OAuthError.invalidRequest("expected a code, got \(outcome)") }
        return code
    }

    static func redemption(_ code: String) -> [String: String] {
        [
            "grant_type": "authorization_code", "code": code, "redirect_uri": CoreProtocolTests.redirectURI,
            "code_verifier": CoreProtocolTests.verifier,
        ]
    }

    static func details(_ text: String) throws -> AuthorizationDetails { try AuthorizationDetails.parse(text).get() }

    @Test(
        "when a request with authorization_details is approved then the token response, the JWT access token and introspection carry them",
        arguments: TestDatabase.all
    )
    func carriedThrough(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.client(harness)
            let signedIn = try await harness.signIn()
            let code = try await Self.code(harness, Self.parameters(created), signedIn: signedIn)
            let client = try await harness.authenticate(created)
            let tokens = try await harness.token(Self.redemption(code), as: client)
            #expect(tokens.authorizationDetails == (try Self.details(Self.granted)))
            let parts = tokens.accessToken.split(separator: ".")
            let payload = try #require(Base64URL.decode(String(parts[1])))
            let claims = try JSONDecoder().decode(AccessTokenClaims.self, from: Data(payload))
            #expect(claims.authorizationDetails == (try Self.details(Self.granted)))
            let introspection = try await harness.server.introspector.introspect(tokens.accessToken, by: .client(created.client))
            #expect(introspection?.authorizationDetails == (try Self.details(Self.granted)))
        }
    }

    @Test("when an opaque access token carries authorization_details then introspection returns them", arguments: TestDatabase.all)
    func opaqueIntrospection(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.client(harness, format: "opaque")
            let code = try await Self.code(harness, Self.parameters(created, details: Self.narrower), signedIn: try await harness.signIn())
            let tokens = try await harness.token(Self.redemption(code), as: try await harness.authenticate(created))
            #expect(tokens.accessToken.split(separator: ".").count == 1, "opaque")
            let introspection = try await harness.server.introspector.introspect(tokens.accessToken, by: .client(created.client))
            #expect(introspection?.authorizationDetails == (try Self.details(Self.narrower)))
        }
    }

    @Test(
        "when a consent to the scopes is stored then a request with authorization_details still asks for consent, and one without does not",
        arguments: TestDatabase.all
    )
    func consentPerRequest(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.client(harness)
            let signedIn = try await harness.signIn()
            _ = try await harness.server.consents.grant(
                userID: signedIn.user.id,
                clientID: created.client.clientID,
                scopes: ["openid", "offline_access"]
            )
            let outcome = try await harness.authorize(Self.parameters(created), session: signedIn)
            guard case .consent(_, let validated, _) = outcome else {
                Issue.record("expected the consent page, got \(outcome)")
                return
            }
            #expect(validated.authorizationDetails == (try Self.details(Self.granted)))
            var plain = Self.parameters(created)
            plain["authorization_details"] = nil
            guard case .code = try await harness.authorize(plain, session: signedIn) else {
                Issue.record("a request without details is covered by the stored consent")
                return
            }
        }
    }

    @Test(
        "when the authorization request names an unregistered type or malformed details then the error is redirected as invalid_authorization_details",
        arguments: TestDatabase.all
    )
    func refusedAtAuthorize(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.client(harness, types: ["account_information"])
            let signedIn = try await harness.signIn()
            for details in [Self.granted, "[{\"actions\":[]}]", "{}"] {
                let outcome = try await harness.authorize(Self.parameters(created, details: details), session: signedIn)
                guard case .redirectError(let error, let redirect) = outcome else {
                    Issue.record("expected a redirected error, got \(outcome)")
                    continue
                }
                #expect(error.code == .invalidAuthorizationDetails)
                #expect(redirect.state == "s-rar")
            }
        }
    }

    @Test(
        "when the token request narrows authorization_details then it is granted, and a wider request is invalid_authorization_details and leaves the code unused",
        arguments: TestDatabase.all
    )
    func narrowingAtToken(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.client(harness)
            let code = try await Self.code(harness, Self.parameters(created), signedIn: try await harness.signIn())
            let client = try await harness.authenticate(created)
            var wider = Self.redemption(code)
            wider["authorization_details"] = Self.wider
            await CoreProtocolTests.expectOAuthError(.invalidAuthorizationDetails) { try await harness.token(wider, as: client) }
            var narrower = Self.redemption(code)
            narrower["authorization_details"] = Self.narrower
            let tokens = try await harness.token(narrower, as: client)
            #expect(tokens.authorizationDetails == (try Self.details(Self.narrower)))
        }
    }

    @Test(
        "when a refresh asks for narrower details then it gets them, asks for none then it gets the whole grant, and asks wider then it is refused",
        arguments: TestDatabase.all
    )
    func narrowingOnRefresh(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            // A public client rotates its refresh token: the successor must keep the whole grant.
            let created = try await Self.client(harness, isConfidential: false)
            let code = try await Self.code(harness, Self.parameters(created), signedIn: try await harness.signIn())
            let client = try await harness.authenticatePublic(clientID: created.client.clientID)
            // The code exchange narrows the access token; the refresh token keeps the whole grant.
            var redemption = Self.redemption(code)
            redemption["authorization_details"] = Self.narrower
            let first = try await harness.token(redemption, as: client)
            #expect(first.authorizationDetails == (try Self.details(Self.narrower)))
            let narrowed = try await harness.token(
                ["grant_type": "refresh_token", "refresh_token": try #require(first.refreshToken), "authorization_details": Self.narrower],
                as: client
            )
            #expect(narrowed.authorizationDetails == (try Self.details(Self.narrower)))
            let whole = try await harness.token(["grant_type": "refresh_token", "refresh_token": try #require(narrowed.refreshToken)], as: client)
            #expect(whole.authorizationDetails == (try Self.details(Self.granted)))
            await CoreProtocolTests.expectOAuthError(.invalidAuthorizationDetails) {
                try await harness.token(
                    ["grant_type": "refresh_token", "refresh_token": try #require(whole.refreshToken), "authorization_details": Self.wider],
                    as: client
                )
            }
        }
    }

    @Test(
        "when details are pushed then the pushed request carries them to the code, and an unregistered type is refused at the push",
        arguments: TestDatabase.all
    )
    func pushed(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.client(harness, types: ["account_information"])
            let client = try await harness.authenticate(created)
            do {
                _ = try await harness.server.pushedAuthorization.push(Self.parameters(created), client: client)
                Issue.record("an unregistered type was pushed")
            } catch let error as OAuthError {
                #expect(error.code == .invalidAuthorizationDetails)
            }
            let pushed = try await harness.server.pushedAuthorization.push(Self.parameters(created, details: Self.narrower), client: client)
            let code = try await Self.code(
                harness,
                ["client_id": created.client.clientID, "request_uri": pushed.requestURI],
                signedIn: try await harness.signIn()
            )
            let tokens = try await harness.token(Self.redemption(code), as: client)
            #expect(tokens.authorizationDetails == (try Self.details(Self.narrower)))
        }
    }

    @Test(
        "when a request object carries authorization_details as a JSON array claim then they reach the token response with booleans intact",
        arguments: TestDatabase.all
    )
    func requestObject(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.client(harness, requestObjectSigningAlg: "none")
            var claims = Self.parameters(created)
            claims["scope"] = "openid"
            claims["authorization_details"] = nil
            // The array spliced in as written, so that `true` is the JSON literal.
            let members = String(decoding: try JSONSerialization.data(withJSONObject: claims), as: UTF8.self)
            let payload = members.dropLast() + #","authorization_details":"# + Self.granted + "}"
            let object = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + "."
            let code = try await Self.code(
                harness,
                ["client_id": created.client.clientID, "request": object],
                signedIn: try await harness.signIn()
            )
            let tokens = try await harness.token(Self.redemption(code), as: try await harness.authenticate(created))
            let granted = try #require(tokens.authorizationDetails)
            #expect(granted.details.count == 2)
            #expect(granted.details[1].members["urgent"] == .bool(true))
            #expect(granted.details[0].strings("actions") == ["list_accounts", "read_balances"])
        }
    }
}
