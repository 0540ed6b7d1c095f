import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// JARM (JWT Secured Authorization Response Mode for OAuth 2.0): the `.jwt` response modes
/// deliver one signed `response` JWT carrying code, state and iss (or the error), with `aud`
/// the client and a short `exp`; every JWT here is verified with the published JWKS. Also the
/// `fapi2_message_signing` rule that such a client is answered through JARM only.
@Suite("JARM: JWT secured authorization responses")
struct JARMTests {
    typealias Context = FlowContext

    /// The one `response` parameter of a query answer (nothing else travels beside it).
    static func queryResponse(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(response.status == .found, "\(response.status) \(response.text)", sourceLocation: sourceLocation)
        let query = try #require(RedirectQuery(response.location), sourceLocation: sourceLocation)
        #expect(query.items.map(\.0) == ["response"], "\(response.location ?? "")", sourceLocation: sourceLocation)
        #expect(!(response.location ?? "").contains("#"), "\(response.location ?? "")", sourceLocation: sourceLocation)
        return try #require(query["response"], sourceLocation: sourceLocation)
    }

    @Test(
        "when a client asks for query.jwt then the code, state and iss come in one response JWT that verifies with the JWKS, and the code redeems",
        arguments: TestDatabase.all
    )
    func queryJWT(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let response = try await flow.authorize(Context.parameters(for: client, state: "s&1", replacing: ["response_mode": "query.jwt"]))
            let jwt = try await AuthorizationAnswer.verifiedWithJWKS(try Self.queryResponse(response), flow.http)
            AuthorizationAnswer.expectJARMEnvelope(jwt, clientID: client.clientID, now: flow.clock.now)
            // The server's default signing algorithm (ES256) when the client registered none.
            #expect(jwt.header["alg"] as? String == "ES256")
            #expect(jwt.claims["state"] as? String == "s&1")
            #expect(jwt.claims["error"] == nil)
            let code = try #require(jwt.claims["code"] as? String, "\(jwt.claims)")
            let tokens = try await flow.redeem(code, client: client)
            #expect(tokens.status == .ok, "\(tokens.text)")
        }
    }

    @Test("when a client asks for form_post.jwt or fragment.jwt then the response JWT is posted or put in the fragment", arguments: TestDatabase.all)
    func formPostAndFragmentJWT(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let posted = try await flow.authorize(Context.parameters(for: client, replacing: ["response_mode": "form_post.jwt"]))
            #expect(posted.status == .ok, "\(posted.status) \(posted.location ?? "")")
            #expect(posted.text.contains("action=\"\(client.redirectURI)\""), "\(posted.text)")
            let inputs = AuthorizationAnswer.formInputs(posted.text)
            #expect(Array(inputs.keys) == ["response"], "\(inputs)")
            let postedJWT = try await AuthorizationAnswer.verifiedWithJWKS(try #require(inputs["response"]), flow.http)
            AuthorizationAnswer.expectJARMEnvelope(postedJWT, clientID: client.clientID, now: flow.clock.now)
            #expect(postedJWT.claims["code"] is String && postedJWT.claims["state"] as? String == "xyz", "\(postedJWT.claims)")

            let fragment = try await flow.authorize(Context.parameters(for: client, replacing: ["response_mode": "fragment.jwt"]))
            #expect(fragment.status == .found, "\(fragment.status) \(fragment.text)")
            let location = try #require(fragment.location)
            #expect(location.hasPrefix(client.redirectURI + "#"), "\(location)")
            let parameters = try #require(AuthorizationAnswer.fragment(location))
            #expect(Array(parameters.keys) == ["response"], "\(location)")
            let fragmentJWT = try await AuthorizationAnswer.verifiedWithJWKS(try #require(parameters["response"]), flow.http)
            #expect(fragmentJWT.claims["code"] is String && fragmentJWT.claims["iss"] as? String == Flow.issuer, "\(fragmentJWT.claims)")
        }
    }

    @Test("when response_mode is jwt with response_type=code then it is query.jwt (JARM §2.3.4)", arguments: TestDatabase.all)
    func jwtIsQueryForCode(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let response = try await flow.authorize(Context.parameters(for: client, replacing: ["response_mode": "jwt"]))
            let jwt = try await AuthorizationAnswer.verifiedWithJWKS(try Self.queryResponse(response), flow.http)
            #expect(jwt.claims["code"] is String, "\(jwt.claims)")
        }
    }

    @Test(
        "when a JARM request fails after the redirect URI is trusted then the error, state and iss are signed too, never plain",
        arguments: TestDatabase.all
    )
    func errorsAreSigned(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["scopes": ["openid", "profile"]])
            try await flow.consent(client)
            let badScope = try await flow.authorize(
                Context.parameters(for: client, scope: "openid email", replacing: ["response_mode": "query.jwt"])
            )
            let scopeError = try await AuthorizationAnswer.verifiedWithJWKS(try Self.queryResponse(badScope), flow.http)
            AuthorizationAnswer.expectJARMEnvelope(scopeError, clientID: client.clientID, now: flow.clock.now)
            #expect(scopeError.claims["error"] as? String == "invalid_scope", "\(scopeError.claims)")
            #expect(scopeError.claims["state"] as? String == "xyz")
            #expect(scopeError.claims["error_description"] is String)
            #expect(scopeError.claims["code"] == nil)

            let signedOut = try await flow.authorize(
                Context.parameters(for: client, replacing: ["response_mode": "jwt", "prompt": "none"]),
                signedIn: false
            )
            let loginError = try await AuthorizationAnswer.verifiedWithJWKS(try Self.queryResponse(signedOut), flow.http)
            #expect(loginError.claims["error"] as? String == "login_required", "\(loginError.claims)")
        }
    }

    @Test(
        "when a client registered authorization_signed_response_alg then its responses use that algorithm and a published key of it",
        arguments: TestDatabase.all,
        ["PS256", "EdDSA", "RS256"]
    )
    func registeredAlgorithm(database: TestDatabase, algorithm: String) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["authorization_signed_response_alg": algorithm])
            try await flow.consent(client)
            let response = try await flow.authorize(Context.parameters(for: client, replacing: ["response_mode": "query.jwt"]))
            let jwt = try await AuthorizationAnswer.verifiedWithJWKS(try Self.queryResponse(response), flow.http)
            #expect(jwt.header["alg"] as? String == algorithm)
            let kid = try #require(jwt.header["kid"] as? String)
            let published = try await OAuthEndpointKit.jwks(flow.http).first { $0["kid"] as? String == kid }
            #expect(published?["alg"] as? String == algorithm)
        }
    }

    @Test(
        "when the server has no active key for the client's authorization_signed_response_alg then a JARM request gets the error page and a push invalid_request",
        arguments: TestDatabase.all
    )
    func noKeyForAlgorithm(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["authorization_signed_response_alg": "EdDSA"])
            try await flow.consent(client)
            // The operator retired the EdDSA key: nothing signs EdDSA any more.
            let storage = flow.server.server.storage
            for var key in try await storage.signingKeys(tenant: flow.server.server.configuration.tenant) where key.algorithm == .EdDSA {
                key.status = .retired
                key.retiresAt = flow.clock.now.addingTimeInterval(-1)
                try await storage.update(key)
            }
            try await flow.server.server.keys.reload()
            let refused = try await flow.authorize(Context.parameters(for: client, replacing: ["response_mode": "query.jwt"]))
            expectAuthorizationErrorPage(refused, "no EdDSA key")
            #expect(refused.text.contains("authorization_signed_response_alg"), "\(refused.text)")
            let pushed = try await PushedAuthorizationTests.push(
                flow,
                PushedAuthorizationTests.fields(client, replacing: ["response_mode": "jwt"]),
                as: client
            )
            PushedAuthorizationTests.expectError(pushed, .badRequest, "invalid_request", "push with response_mode jwt")
            // Control: the same client without JARM is answered as usual.
            let plain = try await flow.authorize(Context.parameters(for: client))
            #expect(RedirectQuery(plain.location)?["code"] != nil, "\(plain.location ?? plain.text)")
        }
    }

    @Test("when discovery is read then it lists the JARM modes and authorization_signing_alg_values_supported", arguments: TestDatabase.all)
    func discovery(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let response = try await flow.http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil)
            let document = try response.json()
            let modes = Set(document["response_modes_supported"] as? [String] ?? [])
            #expect(modes.isSuperset(of: ["jwt", "query.jwt", "fragment.jwt", "form_post.jwt", "fragment"]), "\(modes)")
            let algorithms = document["authorization_signing_alg_values_supported"] as? [String]
            #expect(algorithms == flow.server.server.keys.signingAlgorithms.map(\.rawValue), "\(algorithms ?? [])")
            #expect(algorithms?.contains("none") == false)
        }
    }

    @Test(
        "when authorization_signed_response_alg is none, unknown or RS256 for a FAPI client then the admin API and registration refuse it, naming the field",
        arguments: TestDatabase.all
    )
    func registrationValidation(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let token = try await flow.http.adminToken()
            let base: [String: Any] = ["name": "JARM", "redirect_uris": [Flow.redirectURI], "scopes": ["openid"]]
            for value in ["none", "HS256", "es256"] {
                var body = base
                body["authorization_signed_response_alg"] = value
                let response = try await flow.http.admin(.post, "/oauth/clients", token: token, json: body)
                #expect(response.status == .badRequest, "\(value): \(response.text)")
                #expect(response.text.contains("authorization_signed_response_alg"), "\(value): \(response.text)")
            }
            let key = try SigningKey.generate(.ES256)
            var fapi = base
            fapi["fapi_profile"] = "fapi1"
            fapi["client_auth_methods"] = ["private_key_jwt"]
            fapi["jwks"] = SampleKeys.jwksText([key.verificationKey.jwk])
            fapi["authorization_signed_response_alg"] = "RS256"
            let rs256 = try await flow.http.admin(.post, "/oauth/clients", token: token, json: fapi)
            #expect(rs256.status == .badRequest && rs256.text.contains("authorization_signed_response_alg"), "\(rs256.text)")
            fapi["authorization_signed_response_alg"] = "PS256"
            let ps256 = try await flow.http.admin(.post, "/oauth/clients", token: token, json: fapi)
            #expect(ps256.status == .created, "\(ps256.text)")

            let registered = try await Registration.post(flow.http, Registration.metadata(["authorization_signed_response_alg": "none"]))
            expectRegistrationError(registered, error: "invalid_client_metadata", "registration with none")
            #expect(registered.text.contains("authorization_signed_response_alg"), "\(registered.text)")
        }
    }

    // MARK: fapi2_message_signing: answered through JARM only

    /// Pushes a signed request object (every parameter inside, RFC 9101) for a new
    /// fapi2_message_signing client: the push's answer and the client.
    static func messageSigningPush(_ flow: FlowContext, _ changes: [String: Any] = [:]) async throws -> (TestResponse, FlowClient) {
        let fapi = try await PushedAuthorizationTests.fapiClient(flow, profile: "fapi2_message_signing")
        let object = try RequestObjectTests.signed(RequestObjectTests.claims(flow, for: fapi.client, changes), key: fapi.key)
        let pushed = try await PushedAuthorizationTests.push(
            flow,
            [("client_id", fapi.client.clientID), ("request", object)] + (try fapi.credentials(flow)),
            as: fapi.client
        )
        return (pushed, fapi.client)
    }

    /// `messageSigningPush`, then the authorization request with its request_uri.
    static func messageSigningAnswer(_ flow: FlowContext, _ changes: [String: Any] = [:]) async throws -> (TestResponse, FlowClient) {
        let (pushed, client) = try await messageSigningPush(flow, changes)
        let requestURI = try #require(pushed.string("request_uri"), "\(pushed.text)")
        return (try await flow.authorize([("client_id", client.clientID), ("request_uri", requestURI)]), client)
    }

    @Test(
        "when a fapi2_message_signing client names no response_mode then the answer is a response JWT in the query",
        arguments: TestDatabase.all
    )
    func messageSigningDefaultsToJWT(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let (response, client) = try await Self.messageSigningAnswer(flow)
            let jwt = try await AuthorizationAnswer.verifiedWithJWKS(try Self.queryResponse(response), flow.http)
            AuthorizationAnswer.expectJARMEnvelope(jwt, clientID: client.clientID, now: flow.clock.now)
            #expect(jwt.claims["code"] is String, "\(jwt.claims)")
            #expect(jwt.claims["state"] as? String == RequestObjectTests.objectState)
        }
    }

    @Test(
        "when a fapi2_message_signing request fails after the push (prompt=none needing a sign-in) then the error comes signed, never plain",
        arguments: TestDatabase.all
    )
    func messageSigningErrorsAreSigned(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let (response, client) = try await Self.messageSigningAnswer(flow, ["prompt": "none", "max_age": "0"])
            let jwt = try await AuthorizationAnswer.verifiedWithJWKS(try Self.queryResponse(response), flow.http)
            AuthorizationAnswer.expectJARMEnvelope(jwt, clientID: client.clientID, now: flow.clock.now)
            #expect(jwt.claims["error"] as? String == "login_required", "\(jwt.claims)")
            #expect(jwt.claims["code"] == nil)
        }
    }

    @Test(
        "when a fapi2_message_signing client pushes a request with response_mode query or form_post then the push is refused with invalid_request",
        arguments: TestDatabase.all,
        ["query", "form_post"]
    )
    func messageSigningRefusesPlainModes(database: TestDatabase, mode: String) async throws {
        try await withFlow(database) { flow in
            let (push, _) = try await Self.messageSigningPush(flow, ["response_mode": mode])
            // Refused at the push already (RFC 9126 §2.3: validated as the authorization request).
            PushedAuthorizationTests.expectError(push, .badRequest, "invalid_request", "push with response_mode \(mode)")
            #expect(push.text.contains("JARM"), "\(push.text)")
        }
    }
}
