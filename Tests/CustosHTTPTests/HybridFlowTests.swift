import Crypto
import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The hybrid flow `response_type=code id_token` (OpenID Connect Core §3.3) for FAPI 1.0
/// Advanced relying parties (§5.2.2): fapi1 clients only, `openid` and `nonce` required, the
/// answer in the fragment (never the query) or through JARM, and the front-channel ID token a
/// detached signature over the code and the state (`c_hash`, `s_hash`, checked here against
/// hashes computed by hand). Also the fapi1 rule that plain `code` needs JARM. Every request
/// here is a signed request object by value carrying all its parameters (FAPI 1.0 Advanced
/// §5.2.2 items 1 and 10).
@Suite("Hybrid flow (code id_token) and FAPI 1.0 response rules")
struct HybridFlowTests {
    static let nonce = RequestObjectTests.objectNonce
    static let state = RequestObjectTests.objectState
    /// SHA-256 of the ASCII "state-from-object", left 16 bytes, base64url (computed outside Swift).
    static let stateHashByHand = "Ihb2wS_77Ku4NH5ZRqi3hg"

    typealias FAPI1Client = PushedAuthorizationTests.FAPIClient

    /// A fapi1 client with private_key_jwt and an ES256 key (its request objects' key too).
    static func fapi1Client(_ flow: FlowContext, _ extra: [String: Any] = [:]) async throws -> FAPI1Client {
        try await PushedAuthorizationTests.fapiClient(flow, profile: "fapi1", extra)
    }

    /// `GET /oauth/authorize` with only client_id and a request object signed by the client
    /// (exp, nbf, jti, iss, aud and every parameter; `response_type=code id_token` unless changed).
    static func authorize(_ flow: FlowContext, _ fapi: FAPI1Client, _ changes: [String: Any] = [:]) async throws -> TestResponse {
        var claims: [String: Any] = ["response_type": "code id_token"]
        claims.merge(changes) { $1 }
        let object = try RequestObjectTests.signed(RequestObjectTests.claims(flow, for: fapi.client, claims), key: fapi.key)
        return try await flow.authorize([("client_id", fapi.client.clientID), ("request", object)])
    }

    /// OpenID Connect Core §3.3.2.11 by hand: SHA-256 of the ASCII value, the left half, base64url.
    static func leftHalfSHA256(_ value: String) -> String {
        let digest = Array(SHA256.hash(data: Data(value.utf8)))
        return Data(digest[0..<16]).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The fragment parameters of a 302 to the client; fails on anything in the query.
    static func fragment(
        _ response: TestResponse,
        _ client: FlowClient,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: String] {
        try #require(response.status == .found, "\(response.status) \(response.text)", sourceLocation: sourceLocation)
        let location = try #require(response.location, sourceLocation: sourceLocation)
        #expect(location.hasPrefix(client.redirectURI + "#"), "nothing may travel in the query: \(location)", sourceLocation: sourceLocation)
        return try #require(AuthorizationAnswer.fragment(location), "\(location)", sourceLocation: sourceLocation)
    }

    @Test(
        "when a fapi1 client asks for code id_token then code, id_token, state and iss come in the fragment, the ID token's c_hash and s_hash match hashes made by hand, and the code redeems",
        arguments: TestDatabase.all
    )
    func hybridFragment(database: TestDatabase) async throws {
        let constraint = FixedSenderConstraint(.x5tS256(String(repeating: "A", count: 43)))
        try await withFlow(database, senderConstraints: [constraint]) { flow in
            let fapi = try await Self.fapi1Client(flow)
            let parameters = try Self.fragment(try await Self.authorize(flow, fapi), fapi.client)
            #expect(Set(parameters.keys) == ["code", "id_token", "state", "iss"], "\(parameters)")
            #expect(parameters["state"] == Self.state)
            #expect(parameters["iss"] == Flow.issuer)
            let code = try #require(parameters["code"])
            let idToken = try await AuthorizationAnswer.verifiedWithJWKS(try #require(parameters["id_token"]), flow.http)
            // FAPI clients get ES256 ID tokens unless they registered another FAPI algorithm.
            #expect(idToken.header["alg"] as? String == "ES256")
            let claims = idToken.claims
            #expect(claims["c_hash"] as? String == Self.leftHalfSHA256(code), "\(claims)")
            #expect(claims["s_hash"] as? String == Self.leftHalfSHA256(Self.state), "\(claims)")
            #expect(claims["s_hash"] as? String == Self.stateHashByHand)
            #expect(claims["nonce"] as? String == Self.nonce)
            #expect(claims["iss"] as? String == Flow.issuer)
            #expect(claims["aud"] as? String == fapi.client.clientID)
            #expect(claims["sub"] as? String == flow.user.id)
            let now = Int(flow.clock.now.timeIntervalSince1970)
            #expect((claims["exp"] as? Int ?? 0) > now && claims["iat"] is Int && claims["auth_time"] is Int, "\(claims)")
            // A detached signature: no claims about the user travel through the browser.
            #expect(claims["name"] == nil && claims["email"] == nil && claims["at_hash"] == nil, "\(claims)")
            #expect(claims["acr"] == nil, "acr only when asked")

            // The code redeems at the token endpoint as any code does.
            let fields: [(String, String)] = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", fapi.client.redirectURI), ("code_verifier", Flow.verifier),
            ]
            let tokens = try await OAuthEndpointKit.post(flow.http, fields + (try fapi.credentials(flow)), authorization: nil)
            #expect(tokens.status == .ok, "\(tokens.text)")
            let backChannel = try await AuthorizationAnswer.verifiedWithJWKS(try #require(tokens.string("id_token")), flow.http)
            #expect(backChannel.claims["sub"] as? String == claims["sub"] as? String)
            #expect(backChannel.claims["nonce"] as? String == Self.nonce)
        }
    }

    @Test(
        "when a pairwise fapi1 client asks acr_values then the front-channel ID token has the pairwise sub and the acr",
        arguments: TestDatabase.all
    )
    func pairwiseAndACR(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let fapi = try await Self.fapi1Client(flow, ["subject_type": "pairwise"])
            let parameters = try Self.fragment(
                try await Self.authorize(flow, fapi, ["acr_values": AuthorizationEndpoint.passwordACR]),
                fapi.client
            )
            let claims = try await AuthorizationAnswer.verifiedWithJWKS(try #require(parameters["id_token"]), flow.http).claims
            let sub = try #require(claims["sub"] as? String)
            #expect(sub != flow.user.id, "pairwise: the user's id must not be the subject")
            let client = try #require(
                try await flow.server.server.storage.client(clientID: fapi.client.clientID, tenant: flow.server.server.configuration.tenant)
            )
            #expect(sub == flow.server.server.subjects.subject(for: flow.user.id, client: client))
            #expect(claims["acr"] as? String == AuthorizationEndpoint.passwordACR)
        }
    }

    @Test(
        "when a hybrid request has no nonce, no openid scope or asks for the query then the error goes to the fragment with state and iss",
        arguments: TestDatabase.all
    )
    func hybridRefusals(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let fapi = try await Self.fapi1Client(flow)
            let cases: [(String, [String: Any])] = [
                ("no nonce", ["nonce": NSNull()]),
                ("no openid", ["scope": "profile"]),
                ("response_mode query", ["response_mode": "query"]),
            ]
            for (name, changes) in cases {
                let parameters = try Self.fragment(try await Self.authorize(flow, fapi, changes), fapi.client)
                #expect(parameters["error"] == "invalid_request", "\(name): \(parameters)")
                #expect(parameters["state"] == Self.state, "\(name)")
                #expect(parameters["iss"] == Flow.issuer, "\(name)")
                #expect(parameters["code"] == nil && parameters["id_token"] == nil, "\(name): \(parameters)")
            }
            // query.jwt is refused too (JARM §2.3.1), its error signed in the fragment.
            let signed = try Self.fragment(try await Self.authorize(flow, fapi, ["response_mode": "query.jwt"]), fapi.client)
            let jwt = try await AuthorizationAnswer.verifiedWithJWKS(try #require(signed["response"], "\(signed)"), flow.http)
            #expect(jwt.claims["error"] as? String == "invalid_request", "\(jwt.claims)")
        }
    }

    @Test(
        "when a fapi1 hybrid request names response_mode jwt then it is fragment.jwt: code, id_token, state and iss inside one response JWT",
        arguments: TestDatabase.all
    )
    func hybridJWT(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let fapi = try await Self.fapi1Client(flow)
            let parameters = try Self.fragment(try await Self.authorize(flow, fapi, ["response_mode": "jwt"]), fapi.client)
            #expect(Array(parameters.keys) == ["response"], "\(parameters)")
            let jwt = try await AuthorizationAnswer.verifiedWithJWKS(try #require(parameters["response"]), flow.http)
            AuthorizationAnswer.expectJARMEnvelope(jwt, clientID: fapi.client.clientID, now: flow.clock.now)
            let code = try #require(jwt.claims["code"] as? String, "\(jwt.claims)")
            #expect(jwt.claims["state"] as? String == Self.state)
            let idToken = try await AuthorizationAnswer.verifiedWithJWKS(try #require(jwt.claims["id_token"] as? String), flow.http)
            #expect(idToken.claims["c_hash"] as? String == Self.leftHalfSHA256(code))
        }
    }

    @Test("when a fapi1 hybrid request names response_mode form_post then code, id_token, state and iss are posted", arguments: TestDatabase.all)
    func hybridFormPost(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let fapi = try await Self.fapi1Client(flow)
            let posted = try await Self.authorize(flow, fapi, ["response_mode": "form_post"])
            #expect(posted.status == .ok && posted.location == nil, "\(posted.status) \(posted.location ?? "")")
            let inputs = AuthorizationAnswer.formInputs(posted.text)
            #expect(Set(inputs.keys) == ["code", "id_token", "state", "iss"], "\(inputs)")
            let code = try #require(inputs["code"])
            let idToken = try await AuthorizationAnswer.verifiedWithJWKS(try #require(inputs["id_token"]), flow.http)
            #expect(idToken.claims["c_hash"] as? String == Self.leftHalfSHA256(code))
        }
    }

    @Test(
        "when a fapi1 client asks for plain response_type=code then invalid_request; with response_mode jwt it gets a signed code",
        arguments: TestDatabase.all
    )
    func fapi1CodeNeedsJARM(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let fapi = try await Self.fapi1Client(flow)
            let plain = try await Self.authorize(flow, fapi, ["response_type": "code"])
            expectRedirectError(plain, to: fapi.client.redirectURI, error: "invalid_request", state: Self.state, "fapi1 code without JARM")
            let signed = try await Self.authorize(flow, fapi, ["response_type": "code", "response_mode": "jwt"])
            let jwt = try await AuthorizationAnswer.verifiedWithJWKS(try JARMTests.queryResponse(signed), flow.http)
            #expect(jwt.claims["code"] is String, "\(jwt.claims)")
            #expect(jwt.claims["id_token"] == nil)
        }
    }

    @Test("when a client outside fapi1 asks for code id_token then unsupported_response_type in the query", arguments: TestDatabase.all)
    func hybridForFAPI1Only(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let plain = try await flow.makeClient(["grant_types": ["authorization_code"]])
            try await flow.consent(plain)
            let hybrid: [String: String?] = ["response_type": "code id_token", "nonce": "n-1", "response_mode": "fragment"]
            let response = try await flow.authorize(FlowContext.parameters(for: plain, replacing: hybrid))
            expectRedirectError(response, to: plain.redirectURI, error: "unsupported_response_type", "a client without a profile")
            // A fapi2 client pushes its request; the push is refused alike.
            let fapi2 = try await PushedAuthorizationTests.fapiClient(flow, profile: "fapi2")
            let pushed = try await PushedAuthorizationTests.push(
                flow,
                FlowContext.parameters(for: fapi2.client, replacing: hybrid) + (try fapi2.credentials(flow)),
                as: fapi2.client
            )
            PushedAuthorizationTests.expectError(pushed, .badRequest, "unsupported_response_type", "fapi2 push")
        }
    }
}
