import CustosCore
import CustosTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// DPoP end to end over HTTP with the production sender constraint (RFC 9449; security cases
/// H1, H2, H13, H14, H16, G8): the token endpoint, refresh, `dpop_jkt` at authorize, UserInfo,
/// the nonce endpoint and discovery.
@Suite("DPoP (RFC 9449) over HTTP")
struct DPoPTests {
    static let tokenURL = Flow.issuer + OAuthEndpointKit.tokenPath
    static let userInfoURL = Flow.issuer + OpenID.userInfoPath
    static let dpop = HTTPField.Name("DPoP")!
    static let dpopNonce = HTTPField.Name("DPoP-Nonce")!

    /// A form POST to the token endpoint as `client`, with each of `proofs` as a `DPoP` header.
    static func token(
        _ flow: FlowContext,
        _ fields: [(String, String)],
        client: FlowClient,
        proofs: [String] = []
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: OAuthEndpointKit.formType]
        if let authorization = client.authorization { headers[.authorization] = authorization }
        for proof in proofs { headers.append(HTTPField(name: dpop, value: proof)) }
        return try await flow.http.execute(
            uri: OAuthEndpointKit.tokenPath,
            method: .post,
            headers: headers,
            body: ByteBuffer(string: FormEncoding.encode(fields + client.bodyFields))
        )
    }

    static func serviceClient(_ flow: FlowContext, _ overrides: [String: Any] = [:]) async throws -> FlowClient {
        var body: [String: Any] = ["grant_types": ["client_credentials"], "scopes": ["openid"]]
        body.merge(overrides) { $1 }
        return try await flow.makeClient(body, name: "Service")
    }

    static func jkt(_ token: String) throws -> String? {
        (try jwtSegments(token).payload["cnf"] as? [String: String])?["jkt"]
    }

    static func userInfo(_ flow: FlowContext, authorization: String, proof: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: authorization]
        if let proof { headers[dpop] = proof }
        return try await flow.http.execute(uri: OpenID.userInfoPath, method: .get, headers: headers, body: nil)
    }

    @Test(
        "when client_credentials carries a valid proof then the token is DPoP and its JWT and introspection carry cnf.jkt (H1)",
        arguments: TestDatabase.all
    )
    func clientCredentials(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.serviceClient(flow)
            let key = try DPoPProofMaker()
            let response = try await Self.token(
                flow,
                [("grant_type", "client_credentials")],
                client: client,
                proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now)]
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.string("token_type") == "DPoP")
            let access = try #require(response.string("access_token"))
            #expect(try Self.jkt(access) == key.thumbprint)
            let introspection = try await flow.introspect(access, caller: flow.adminClient).json()
            #expect(introspection["token_type"] as? String == "DPoP")
            #expect(introspection["cnf"] as? [String: String] == ["jkt": key.thumbprint], "\(introspection)")

            // Without a proof the same client still gets a Bearer token (DPoP is opt-in).
            let bearer = try await Self.token(flow, [("grant_type", "client_credentials")], client: client)
            #expect(bearer.string("token_type") == "Bearer", "\(bearer.text)")
        }
    }

    @Test("when the token request carries two DPoP headers, or a bad proof, then it is 400 invalid_dpop_proof (H2, H6, H8)")
    func refusedProofs() async throws {
        try await withFlow(.sqlite) { flow in
            let client = try await Self.serviceClient(flow)
            let key = try DPoPProofMaker()
            let now = flow.clock.now
            let cases: [(String, [String])] = [
                ("two headers", [try key.proof(htu: Self.tokenURL, iat: now), try key.proof(htu: Self.tokenURL, iat: now)]),
                ("htm GET", [try key.proof(htm: "GET", htu: Self.tokenURL, iat: now)]),
                ("not a JWT", ["garbage"]),
                ("typ JWT", [try key.proof(htu: Self.tokenURL, iat: now, header: ["typ": "JWT"])]),
            ]
            for (name, proofs) in cases {
                let response = try await Self.token(flow, [("grant_type", "client_credentials")], client: client, proofs: proofs)
                #expect(response.status == .badRequest, "\(name): \(response.text)")
                #expect(response.string("error") == "invalid_dpop_proof", "\(name)")
                #expect(response.string("access_token") == nil)
            }
        }
    }

    @Test(
        "when nonces are required then a proof without one is 400 use_dpop_nonce with one DPoP-Nonce, the retry passes, a foreign nonce is refused (H13)",
        arguments: TestDatabase.all
    )
    func requiredNonce(database: TestDatabase) async throws {
        try await withFlow(database, configure: { $0.dpopNonce = .required }) { flow in
            let client = try await Self.serviceClient(flow)
            let key = try DPoPProofMaker()
            let first = try await Self.token(
                flow,
                [("grant_type", "client_credentials")],
                client: client,
                proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now)]
            )
            #expect(first.status == .badRequest, "\(first.text)")
            #expect(first.string("error") == "use_dpop_nonce")
            #expect(first.headers[values: Self.dpopNonce].count == 1)
            let nonce = try #require(first.headers[Self.dpopNonce])

            let retry = try await Self.token(
                flow,
                [("grant_type", "client_credentials")],
                client: client,
                proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now, nonce: nonce)]
            )
            #expect(retry.status == .ok, "\(retry.text)")
            #expect(retry.string("token_type") == "DPoP")

            let foreign = try await Self.token(
                flow,
                [("grant_type", "client_credentials")],
                client: client,
                proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now, nonce: "dn1.bm90LW91cnM")]
            )
            #expect(foreign.status == .badRequest)
            #expect(foreign.string("error") == "use_dpop_nonce")
            #expect(foreign.headers[Self.dpopNonce] == nonce, "a fresh nonce of the current slot")

            // Stale: two slots later the nonce has expired.
            flow.clock.advance(by: 2 * DPoPNonces.slotLength)
            let stale = try await Self.token(
                flow,
                [("grant_type", "client_credentials")],
                client: client,
                proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now, nonce: nonce)]
            )
            #expect(stale.string("error") == "use_dpop_nonce", "\(stale.text)")
            #expect(stale.headers[Self.dpopNonce] != nil && stale.headers[Self.dpopNonce] != nonce)
        }
    }

    @Test("when a client with dpop_bound_access_tokens sends no proof then it is 400 invalid_dpop_proof (H14)", arguments: TestDatabase.all)
    func proofRequiredByClient(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.serviceClient(flow, ["dpop_bound_access_tokens": true])
            let refused = try await Self.token(flow, [("grant_type", "client_credentials")], client: client)
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.string("error") == "invalid_dpop_proof")
            let key = try DPoPProofMaker()
            let accepted = try await Self.token(
                flow,
                [("grant_type", "client_credentials")],
                client: client,
                proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now)]
            )
            #expect(accepted.string("token_type") == "DPoP", "\(accepted.text)")
        }
    }

    @Test(
        "when dpop_jkt binds the code then a proof by another key or none is invalid_grant and the code stays redeemable by its key (H16)",
        arguments: TestDatabase.all
    )
    func codeBoundToKey(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let k1 = try DPoPProofMaker()
            let k2 = try DPoPProofMaker(.EdDSA)
            let code = try await flow.code(for: client, replacing: ["dpop_jkt": k1.thumbprint])
            let fields: [(String, String)] = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURI), ("code_verifier", Flow.verifier),
            ]
            let wrongKey = try await Self.token(flow, fields, client: client, proofs: [try k2.proof(htu: Self.tokenURL, iat: flow.clock.now)])
            #expect(wrongKey.status == .badRequest, "\(wrongKey.text)")
            #expect(wrongKey.string("error") == "invalid_grant")
            let noProof = try await Self.token(flow, fields, client: client)
            #expect(noProof.string("error") == "invalid_grant", "\(noProof.text)")
            let right = try await Self.token(flow, fields, client: client, proofs: [try k1.proof(htu: Self.tokenURL, iat: flow.clock.now)])
            #expect(right.status == .ok, "\(right.text)")
            #expect(try Self.jkt(try #require(right.string("access_token"))) == k1.thumbprint)
        }
    }

    @Test("when dpop_jkt is not a thumbprint then authorize answers invalid_request")
    func malformedDPoPJKT() async throws {
        try await withFlow(.sqlite) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let response = try await flow.authorize(FlowContext.parameters(for: client, replacing: ["dpop_jkt": "not-a-thumbprint"]))
            let query = try #require(RedirectQuery(response.location), "\(response.status) \(response.text)")
            #expect(query["error"] == "invalid_request")
            #expect(query["code"] == nil)
        }
    }

    @Test(
        "when a public client's refresh token is DPoP-bound then refreshing without a proof or with another key is invalid_grant (G8)",
        arguments: TestDatabase.all
    )
    func publicRefreshBound(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makePublicClient()
            let key = try DPoPProofMaker()
            let code = try await flow.code(for: client, scope: "openid offline_access")
            let first = try await Self.token(
                flow,
                [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURI), ("code_verifier", Flow.verifier)],
                client: client,
                proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now)]
            )
            #expect(first.string("token_type") == "DPoP", "\(first.text)")
            let refresh = try #require(first.string("refresh_token"))
            let introspected = try await flow.introspect(refresh, caller: flow.adminClient).json()
            #expect(introspected["cnf"] as? [String: String] == ["jkt": key.thumbprint], "\(introspected)")

            let fields: [(String, String)] = [("grant_type", "refresh_token"), ("refresh_token", refresh)]
            let noProof = try await Self.token(flow, fields, client: client)
            #expect(noProof.status == .badRequest)
            #expect(noProof.string("error") == "invalid_grant", "\(noProof.text)")
            let other = try DPoPProofMaker()
            let otherKey = try await Self.token(flow, fields, client: client, proofs: [try other.proof(htu: Self.tokenURL, iat: flow.clock.now)])
            #expect(otherKey.string("error") == "invalid_grant", "\(otherKey.text)")
            let sameKey = try await Self.token(flow, fields, client: client, proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now)])
            #expect(sameKey.status == .ok, "\(sameKey.text)")
            #expect(try Self.jkt(try #require(sameKey.string("access_token"))) == key.thumbprint)
        }
    }

    @Test(
        "when a confidential client refreshes then its refresh token is unbound and the new access token is bound to this request's key",
        arguments: TestDatabase.all
    )
    func confidentialRefresh(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let k1 = try DPoPProofMaker()
            let code = try await flow.code(for: client, scope: "openid offline_access")
            let first = try await Self.token(
                flow,
                [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURI), ("code_verifier", Flow.verifier)],
                client: client,
                proofs: [try k1.proof(htu: Self.tokenURL, iat: flow.clock.now)]
            )
            let refresh = try #require(first.string("refresh_token"), "\(first.text)")
            #expect(try await flow.introspect(refresh, caller: flow.adminClient).json()["cnf"] == nil, "RFC 9449 §5")
            let k2 = try DPoPProofMaker()
            let refreshed = try await Self.token(
                flow,
                [("grant_type", "refresh_token"), ("refresh_token", refresh)],
                client: client,
                proofs: [try k2.proof(htu: Self.tokenURL, iat: flow.clock.now)]
            )
            #expect(refreshed.status == .ok, "\(refreshed.text)")
            #expect(try Self.jkt(try #require(refreshed.string("access_token"))) == k2.thumbprint)
        }
    }

    @Test("when UserInfo gets a DPoP-bound token then it needs the DPoP scheme and a proof with the right key and ath", arguments: TestDatabase.all)
    func userInfo(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let key = try DPoPProofMaker()
            let code = try await flow.code(for: client)
            let tokens = try await Self.token(
                flow,
                [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURI), ("code_verifier", Flow.verifier)],
                client: client,
                proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now)]
            )
            let access = try #require(tokens.string("access_token"), "\(tokens.text)")
            let now = flow.clock.now

            let ok = try await Self.userInfo(
                flow,
                authorization: "DPoP \(access)",
                proof: try key.proof(htm: "GET", htu: Self.userInfoURL, iat: now, accessToken: access)
            )
            #expect(ok.status == .ok, "\(ok.text)")
            #expect(ok.string("sub") != nil)

            // H2 at a resource: two DPoP headers.
            var twice: HTTPFields = [.authorization: "DPoP \(access)"]
            for _ in 0..<2 {
                twice.append(HTTPField(name: Self.dpop, value: try key.proof(htm: "GET", htu: Self.userInfoURL, iat: now, accessToken: access)))
            }
            let twoHeaders = try await flow.http.execute(uri: OpenID.userInfoPath, method: .get, headers: twice, body: nil)
            #expect(twoHeaders.status == .unauthorized, "\(twoHeaders.text)")
            #expect(twoHeaders.string("error") == "invalid_dpop_proof")

            let asBearer = try await Self.userInfo(flow, authorization: "Bearer \(access)")
            #expect(asBearer.status == .unauthorized, "a DPoP-bound token presented as Bearer")
            #expect(asBearer.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)

            let refusals: [(String, String?)] = [
                ("no ath", try key.proof(htm: "GET", htu: Self.userInfoURL, iat: now)),
                ("wrong ath", try key.proof(htm: "GET", htu: Self.userInfoURL, iat: now, accessToken: access + "x")),
                ("another key", try DPoPProofMaker().proof(htm: "GET", htu: Self.userInfoURL, iat: now, accessToken: access)),
                ("htu of the token endpoint", try key.proof(htm: "GET", htu: Self.tokenURL, iat: now, accessToken: access)),
                ("no proof", nil),
            ]
            for (name, proof) in refusals {
                let response = try await Self.userInfo(flow, authorization: "DPoP \(access)", proof: proof)
                #expect(response.status == .unauthorized, "\(name): \(response.text)")
                #expect(response.string("error") == "invalid_dpop_proof", "\(name): \(response.text)")
                let challenge = response.headers[.wwwAuthenticate] ?? ""
                #expect(challenge.hasPrefix("DPoP algs=\"ES256 PS256 EdDSA\""), "\(name): \(challenge)")
                #expect(challenge.contains("error=\"invalid_dpop_proof\""), "\(name): \(challenge)")
            }
        }
    }

    @Test("when an unbound token comes with the DPoP scheme then UserInfo refuses it with the DPoP challenge (RFC 9449 §7.2)")
    func unboundTokenWithDPoPScheme() async throws {
        try await withFlow(.sqlite) { flow in
            let client = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            let key = try DPoPProofMaker()
            let response = try await Self.userInfo(
                flow,
                authorization: "DPoP \(access)",
                proof: try key.proof(htm: "GET", htu: Self.userInfoURL, iat: flow.clock.now, accessToken: access)
            )
            #expect(response.status == .unauthorized, "\(response.text)")
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("DPoP ") == true, "\(response.headers)")
            #expect(response.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
            let bearer = try await Self.userInfo(flow, authorization: "Bearer \(access)")
            #expect(bearer.status == .ok, "the same token as Bearer works")
        }
    }

    @Test("when nonces are required at UserInfo then a proof without one is 401 use_dpop_nonce with a DPoP-Nonce header")
    func userInfoNonce() async throws {
        try await withFlow(.sqlite, configure: { $0.dpopNonce = .required }) { flow in
            let client = try await flow.makeClient()
            let key = try DPoPProofMaker()
            let nonce = flow.server.server.dpopNonces.issue()
            let code = try await flow.code(for: client)
            let tokens = try await Self.token(
                flow,
                [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURI), ("code_verifier", Flow.verifier)],
                client: client,
                proofs: [try key.proof(htu: Self.tokenURL, iat: flow.clock.now, nonce: nonce)]
            )
            let access = try #require(tokens.string("access_token"), "\(tokens.text)")
            let refused = try await Self.userInfo(
                flow,
                authorization: "DPoP \(access)",
                proof: try key.proof(htm: "GET", htu: Self.userInfoURL, iat: flow.clock.now, accessToken: access)
            )
            #expect(refused.status == .unauthorized, "\(refused.text)")
            #expect(refused.headers[.wwwAuthenticate]?.contains("DPoP algs=") == true)
            #expect(refused.headers[.wwwAuthenticate]?.contains("error=\"use_dpop_nonce\"") == true)
            let fresh = try #require(refused.headers[Self.dpopNonce])
            let retry = try await Self.userInfo(
                flow,
                authorization: "DPoP \(access)",
                proof: try key.proof(htm: "GET", htu: Self.userInfoURL, iat: flow.clock.now, accessToken: access, nonce: fresh)
            )
            #expect(retry.status == .ok, "\(retry.text)")
        }
    }

    @Test("when the nonce endpoint is called then it answers 200 with a nonce the server accepts")
    func nonceEndpoint() async throws {
        try await withFlow(.sqlite) { flow in
            let response = try await flow.http.execute(uri: "/api/v1/oauth/dpop/nonce", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            let nonce = try #require(response.headers[Self.dpopNonce])
            #expect(flow.server.server.dpopNonces.isValid(nonce))
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test("when discovery is read then it announces dpop_signing_alg_values_supported")
    func discovery() async throws {
        try await withFlow(.sqlite) { flow in
            let response = try await flow.http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil)
            #expect(try response.json()["dpop_signing_alg_values_supported"] as? [String] == ["ES256", "PS256", "EdDSA"])
        }
    }

    @Test("when dpop_bound_access_tokens is not a boolean then the admin API refuses the client naming the field")
    func dpopBoundMustBeBoolean() async throws {
        try await withFlow(.sqlite) { flow in
            let token = try await flow.http.adminToken()
            let body: [String: Any] = [
                "name": "Bad", "redirect_uris": [Flow.redirectURI], "scopes": ["openid"], "grant_types": ["client_credentials"],
                "dpop_bound_access_tokens": "yes",
            ]
            let response = try await flow.http.admin(.post, "/oauth/clients", token: token, json: body)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.text.contains("dpop_bound_access_tokens"), "\(response.text)")
        }
    }
}
