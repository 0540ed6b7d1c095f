import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// FAPI 1.0 Advanced (`fapi1`) and FAPI 2.0 Message Signing (`fapi2_message_signing`) at the
/// authorization and PAR endpoints, and what the admin API and dynamic registration show and
/// refuse of a profile (`EffectiveClientPolicy`).
@Suite("FAPI profiles: fapi1 and fapi2_message_signing requests, the admin view and registration")
struct FAPIProfileFlowTests {
    typealias Objects = RequestObjectTests
    typealias PAR = PushedAuthorizationTests
    typealias FAPIClient = PushedAuthorizationTests.FAPIClient

    /// A consented client of `profile` authenticating with private_key_jwt (an ES256 key).
    static func client(_ flow: FlowContext, _ profile: String, _ extra: [String: Any] = [:]) async throws -> FAPIClient {
        try await PAR.fapiClient(flow, profile: profile, extra)
    }

    /// `/oauth/authorize` with the object by value and, outside it, what OpenID Connect Core
    /// §6.1 has in the query (the same response_type and scope), `extra` added.
    static func authorize(_ flow: FlowContext, _ fapi: FAPIClient, object: String, extra: [(String, String)] = []) async throws -> TestResponse {
        try await flow.authorize(
            [("client_id", fapi.client.clientID), ("request", object), ("response_type", "code"), ("scope", "openid profile")] + extra
        )
    }

    /// The request-object claims of `RequestObjectTests.claims`, answered through JARM: both
    /// profiles need it for `response_type=code` (FAPI 1.0 Advanced §5.2.2 item 2; FAPI 2.0
    /// Message Signing answers through JARM only).
    static func claims(_ flow: FlowContext, for client: FlowClient, _ changes: [String: Any] = [:]) -> [String: Any] {
        Objects.claims(flow, for: client, ["response_mode": "jwt"].merging(changes) { $1 })
    }

    /// A JARM answer carrying a code: verified with the published JWKS, addressed to the
    /// client, with the request object's state.
    static func expectAccepted(
        _ flow: FlowContext,
        _ response: TestResponse,
        client: FlowClient,
        _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let jwt = try await AuthorizationAnswer.verifiedWithJWKS(
            try JARMTests.queryResponse(response, sourceLocation: sourceLocation),
            flow.http,
            sourceLocation: sourceLocation
        )
        AuthorizationAnswer.expectJARMEnvelope(jwt, clientID: client.clientID, now: flow.clock.now, sourceLocation: sourceLocation)
        #expect(jwt.claims["state"] as? String == Objects.objectState, "\(comment): \(jwt.claims)", sourceLocation: sourceLocation)
        #expect(jwt.claims["code"] is String, "\(comment): \(jwt.claims)", sourceLocation: sourceLocation)
    }

    /// Pushes `fields` (plus `client_id` and the client's assertion).
    static func push(_ flow: FlowContext, _ fapi: FAPIClient, _ fields: [(String, String)]) async throws -> TestResponse {
        try await PAR.push(flow, [("client_id", fapi.client.clientID)] + fields + (try fapi.credentials(flow)), as: fapi.client)
    }

    // MARK: fapi1

    @Test(
        "fapi1: a signed request object by value gets a code; a plain request, RS256, EdDSA, a parameter outside the object and exp − nbf of 61 min are refused",
        arguments: TestDatabase.all
    )
    func fapi1ByValue(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let fapi = try await Self.client(flow, "fapi1")
            let claims = Self.claims(flow, for: fapi.client)
            let plain = try await flow.authorize(FlowContext.parameters(for: fapi.client))
            RequestObjectRulesTests.expectRefused(plain, "signed request object", "fapi1 without a request object")

            let valid = try Objects.signed(claims, key: fapi.key)
            try await Self.expectAccepted(flow, try await Self.authorize(flow, fapi, object: valid), client: fapi.client, "fapi1 by value")

            for algorithm in [SigningAlgorithm.RS256, .EdDSA] {
                let other = try SigningKey.generate(algorithm)
                let object = try Objects.signed(Self.claims(flow, for: fapi.client), key: other)
                RequestObjectRulesTests.expectRefused(
                    try await Self.authorize(flow, fapi, object: object),
                    "algorithm is not allowed",
                    "fapi1 \(algorithm.rawValue)"
                )
            }
            let outside: [(String, [(String, String)])] = [
                ("lacks login_hint", [("login_hint", "alice")]),
                ("state outside the request object differs", [("state", "other-state")]),
                ("scope outside the request object differs", [("scope", "openid")]),
            ]
            for (reason, extra) in outside {
                let object = try Objects.signed(Self.claims(flow, for: fapi.client), key: fapi.key)
                var fields = [("client_id", fapi.client.clientID), ("request", object), ("response_type", "code")]
                if !extra.contains(where: { $0.0 == "scope" }) { fields.append(("scope", "openid profile")) }
                RequestObjectRulesTests.expectRefused(try await flow.authorize(fields + extra), reason, "fapi1 \(reason)")
            }
            // The same claims request inside and outside, spelt differently, is the same parameter.
            let claimsRequest: [String: Any] = ["userinfo": ["email": NSNull(), "name": ["essential": true]]]
            let withClaims = try Objects.signed(Self.claims(flow, for: fapi.client, ["claims": claimsRequest]), key: fapi.key)
            try await Self.expectAccepted(
                flow,
                try await Self.authorize(
                    flow,
                    fapi,
                    object: withClaims,
                    extra: [("claims", #"{ "userinfo": { "name": { "essential": true }, "email": null } }"#)]
                ),
                client: fapi.client,
                "fapi1 claims inside and outside"
            )
            // RFC 9396 details inside and outside, spelt differently, are the same parameter too:
            // the request goes on to the consent page (details are approved per request) instead
            // of the error page.
            let payer = try await Self.client(flow, "fapi1", ["authorization_details_types": ["account_information"], "name": "Payer"])
            let details: [[String: Any]] = [["type": "account_information", "actions": ["read_balances"]]]
            let withDetails = try Objects.signed(Self.claims(flow, for: payer.client, ["authorization_details": details]), key: payer.key)
            let consentPage = try await Self.authorize(
                flow,
                payer,
                object: withDetails,
                extra: [("authorization_details", #"[ { "actions": [ "read_balances" ], "type": "account_information" } ]"#)]
            )
            #expect(consentPage.status == .seeOther, "\(consentPage.status) \(consentPage.text)")
            #expect(consentPage.location?.hasPrefix("/api/v1/consent?") == true, "\(consentPage.location ?? consentPage.text)")
            // FAPI 1.0 Advanced §5.2.2 item 15: aud is the issuer or an array containing it.
            let audiences = Self.claims(flow, for: fapi.client, ["aud": [Flow.issuer, "https://other.example"]])
            try await Self.expectAccepted(
                flow,
                try await Self.authorize(flow, fapi, object: try Objects.signed(audiences, key: fapi.key)),
                client: fapi.client,
                "fapi1 aud array containing the issuer"
            )
            let now = Int(flow.clock.now.timeIntervalSince1970)
            let long = try Objects.signed(Self.claims(flow, for: fapi.client, ["nbf": now, "exp": now + 61 * 60]), key: fapi.key)
            RequestObjectRulesTests.expectRefused(try await Self.authorize(flow, fapi, object: long), "more than 60 minutes", "fapi1 61 min")
        }
    }

    @Test(
        "fapi1: a pushed signed object gets a code, a push without one or with dpop_jkt is refused; PAR needs PKCE even where require_pkce is false, a request by value then does not (with a nonce)",
        arguments: TestDatabase.all
    )
    func fapi1ThroughPAR(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let fapi = try await Self.client(flow, "fapi1")
            let object = try Objects.signed(Self.claims(flow, for: fapi.client), key: fapi.key)
            // OpenID Connect Core §9: a fapi1 client's assertion may name the endpoint it is sent to.
            let assertion = try signedJWT(
                header: ClientAssertionTests.header(fapi.key),
                payload: ClientAssertionTests.claims(flow, clientID: fapi.client.clientID, ["aud": Flow.issuer + PAR.path]),
                key: fapi.key
            )
            let pushed = try await PAR.push(
                flow,
                [
                    ("client_id", fapi.client.clientID), ("request", object), ("client_assertion_type", ClientAssertionTests.assertionType),
                    ("client_assertion", assertion),
                ],
                as: fapi.client
            )
            let requestURI = try #require(pushed.string("request_uri"), "\(pushed.status) \(pushed.text)")
            let authorized = try await flow.authorize([("client_id", fapi.client.clientID), ("request_uri", requestURI)])
            try await Self.expectAccepted(flow, authorized, client: fapi.client, "fapi1 through PAR")
            let unsigned = try await Self.push(flow, fapi, PAR.fields(fapi.client).filter { $0.0 != "client_id" })
            PAR.expectError(unsigned, .badRequest, "invalid_request", "fapi1 push without a request object")
            let dpopBound = try await Self.push(
                flow,
                fapi,
                [
                    ("request", try Objects.signed(Self.claims(flow, for: fapi.client), key: fapi.key)),
                    ("dpop_jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"),
                ]
            )
            PAR.expectError(dpopBound, .badRequest, "invalid_request", "fapi1 push binding the code to a DPoP key")
            #expect(dpopBound.text.contains("dpop_jkt"), "\(dpopBound.text)")

            let legacy = try await Self.client(flow, "fapi1", ["require_pkce": false, "name": "Legacy FAPI 1"])
            // Each object its own jti: a refused push has used up its object's.
            func noPKCE() throws -> String {
                try Objects.signed(
                    Self.claims(flow, for: legacy.client, ["code_challenge": NSNull(), "code_challenge_method": NSNull()]),
                    key: legacy.key
                )
            }
            let refused = try await Self.push(flow, legacy, [("request", try noPKCE())])
            PAR.expectError(refused, .badRequest, "invalid_request", "fapi1 push without PKCE")
            #expect(refused.text.contains("code_challenge"), "\(refused.text)")
            let byValue = try await Self.authorize(flow, legacy, object: try noPKCE())
            try await Self.expectAccepted(flow, byValue, client: legacy.client, "fapi1 without PAR and without PKCE, with a nonce")
        }
    }

    // MARK: fapi2_message_signing

    @Test(
        "fapi2_message_signing: a pushed signed object gets a code; a push without one and a plain authorization request are refused",
        arguments: TestDatabase.all
    )
    func messageSigning(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let fapi = try await Self.client(flow, "fapi2_message_signing")
            let plain = try await flow.authorize(FlowContext.parameters(for: fapi.client))
            RequestObjectRulesTests.expectRefused(plain, "push", "fapi2_message_signing without PAR")
            let byValue = try await Self.authorize(flow, fapi, object: try Objects.signed(Self.claims(flow, for: fapi.client), key: fapi.key))
            RequestObjectRulesTests.expectRefused(byValue, "push", "fapi2_message_signing by value, not pushed")
            // FAPI 2.0: the issuer as the only audience.
            let audiences = Self.claims(flow, for: fapi.client, ["aud": [Flow.issuer, "https://other.example"]])
            let arrayAudience = try await Self.push(flow, fapi, [("request", try Objects.signed(audiences, key: fapi.key))])
            PAR.expectError(arrayAudience, .badRequest, "invalid_request_object", "fapi2_message_signing aud array")
            let unsigned = try await Self.push(flow, fapi, PAR.fields(fapi.client).filter { $0.0 != "client_id" })
            PAR.expectError(unsigned, .badRequest, "invalid_request", "fapi2_message_signing push without a request object")
            let object = try Objects.signed(Self.claims(flow, for: fapi.client), key: fapi.key)
            let pushed = try await Self.push(flow, fapi, [("request", object)])
            let requestURI = try #require(pushed.string("request_uri"), "\(pushed.status) \(pushed.text)")
            let authorized = try await flow.authorize([("client_id", fapi.client.clientID), ("request_uri", requestURI)])
            try await Self.expectAccepted(flow, authorized, client: fapi.client, "fapi2_message_signing through PAR")
        }
    }

    // MARK: The admin view and the refusals

    static func fapiBody(_ profile: String, _ extra: [String: Any] = [:]) -> [String: Any] {
        clientBody(["fapi_profile": profile, "client_auth_methods": ["private_key_jwt"], "jwks": SampleKeys.validJWKS].merging(extra) { $1 })
    }

    @Test(
        "when a FAPI client is read then the admin API shows the rules its profile turns on, and a profile change leaves none behind",
        arguments: TestDatabase.all
    )
    func adminShowsEffectiveRules(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let fapi2 = try #require(try await admin.create(Self.fapiBody("fapi2"))["client_id"] as? String)
            let shown2 = try await admin.client(fapi2)
            #expect(shown2["require_pushed_authorization_requests"] as? Bool == true)
            #expect(shown2["require_signed_request_object"] as? Bool == false)
            #expect(shown2["tls_client_certificate_bound_access_tokens"] as? Bool == false)
            #expect(shown2["require_pkce"] as? Bool == true)
            let rules2 = try #require(shown2["effective_rules"] as? [String: Any], "\(shown2)")
            #expect(rules2["sender_constraint"] as? String == "dpop_or_mtls")
            #expect(rules2["signing_alg_values"] as? [String] == ["ES256", "PS256", "EdDSA"])

            let fapi1 = try #require(try await admin.create(Self.fapiBody("fapi1", ["require_pkce": false]))["client_id"] as? String)
            let shown1 = try await admin.client(fapi1)
            #expect(shown1["require_pushed_authorization_requests"] as? Bool == false)
            #expect(shown1["require_signed_request_object"] as? Bool == true)
            #expect(shown1["tls_client_certificate_bound_access_tokens"] as? Bool == true)
            #expect(shown1["require_pkce"] as? Bool == false)
            let rules1 = try #require(shown1["effective_rules"] as? [String: Any], "\(shown1)")
            #expect(rules1["sender_constraint"] as? String == "mtls")
            #expect(rules1["require_pkce_with_pushed_request"] as? Bool == true)
            #expect(rules1["signing_alg_values"] as? [String] == ["ES256", "PS256"])
            #expect(rules1["client_auth_methods"] as? [String] == ["private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"])

            let updated = try await admin.call(.put, "/oauth/clients/\(fapi2)", json: ["fapi_profile": ""])
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try updated.data()["require_pushed_authorization_requests"] as? Bool == false, "\(updated.text)")
            #expect(try await admin.client(fapi2)["require_pushed_authorization_requests"] as? Bool == false)
        }
    }

    @Test("when the admin API is sent metadata that contradicts the profile then 400 naming the field", arguments: TestDatabase.all)
    func adminRefusals(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let cases: [(String, [String: Any], String)] = [
                ("fapi1", ["dpop_bound_access_tokens": true], "dpop_bound_access_tokens"),
                ("fapi1", ["request_object_signing_alg": "EdDSA"], "request_object_signing_alg"),
                ("fapi1", ["id_token_signed_response_alg": "EdDSA"], "id_token_signed_response_alg"),
                ("fapi1", ["client_auth_methods": ["client_secret_basic"]], "client_auth_methods"),
                ("fapi1", ["redirect_uris": ["http://127.0.0.1:9000/cb"]], "redirect_uris[0]"),
                ("fapi2", ["require_pushed_authorization_requests": false], "require_pushed_authorization_requests"),
                ("fapi2", ["authorization_signed_response_alg": "RS256"], "authorization_signed_response_alg"),
                ("fapi2_message_signing", ["require_signed_request_object": false], "require_signed_request_object"),
                ("fapi2_message_signing", ["introspection_signed_response_alg": "RS256"], "introspection_signed_response_alg"),
                ("fapi2_message_signing", ["request_object_signing_alg": "RS256"], "request_object_signing_alg"),
            ]
            for (profile, extra, field) in cases {
                try await admin.expectCreateRejected(Self.fapiBody(profile, extra), naming: [field], "\(profile) \(extra)")
            }
        }
    }

    @Test(
        "when dynamic registration carries fapi_profile then an unknown value and metadata against the profile are refused naming the field; a valid one is kept and shown",
        arguments: TestDatabase.all
    )
    func dynamicRegistration(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let key = try SigningKey.generate(.ES256)
            let fapi: [String: Any] = [
                "token_endpoint_auth_method": "private_key_jwt", "jwks": ["keys": [key.verificationKey.jwk]] as [String: Any],
            ]
            let refusals: [([String: Any], String)] = [
                (["fapi_profile": "fapi3"], "fapi_profile"),
                (["fapi_profile": "fapi1", "dpop_bound_access_tokens": true], "dpop_bound_access_tokens"),
                (["fapi_profile": "fapi2", "require_pushed_authorization_requests": false], "require_pushed_authorization_requests"),
                (["fapi_profile": "fapi2", "token_endpoint_auth_method": "client_secret_basic"], "token_endpoint_auth_method"),
            ]
            for (overrides, field) in refusals {
                let response = try await Registration.post(admin.http, Registration.metadata(fapi.merging(overrides) { $1 }))
                expectRegistrationError(response, error: "invalid_client_metadata", field)
                #expect(response.string("error_description")?.hasPrefix(field) == true, "\(response.text)")
            }
            let registered = try await Registration.post(admin.http, Registration.metadata(fapi.merging(["fapi_profile": "fapi1"]) { $1 }))
            #expect(registered.status == .created, "\(registered.text)")
            #expect(registered.string("fapi_profile") == "fapi1", "\(registered.text)")
            let clientID = try #require(registered.string("client_id"))
            #expect(try await admin.client(clientID)["fapi_profile"] as? String == "fapi1")
        }
    }
}
