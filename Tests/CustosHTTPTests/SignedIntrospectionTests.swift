import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// RFC 9701 at `POST /oauth/introspect`: `Accept: application/token-introspection+jwt` gets
/// the answer as a JWT, verified here with the JWKS the server publishes (fetched over HTTP,
/// never through the signer); JSON stays the default; what the caller accepts decides, by
/// weight; `introspection_signed_response_alg` is honoured, refused when invalid, and
/// discovery lists the algorithms.
@Suite("Signed introspection responses (RFC 9701)")
struct SignedIntrospectionTests {
    static let jwtType = "application/token-introspection+jwt"

    /// The header and claims of `jwt` once its signature checks out against the published key
    /// its `kid` names, for the algorithm its `alg` names.
    static func verifyWithPublishedJWKS(
        _ jwt: String,
        _ http: any TestClientProtocol,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (header: [String: Any], claims: [String: Any], jwk: [String: Any]) {
        let (header, claims) = try jwtSegments(jwt)
        let kid = try #require(header["kid"] as? String, sourceLocation: sourceLocation)
        let algorithm = try #require((header["alg"] as? String).flatMap(SigningAlgorithm.init(rawValue:)), sourceLocation: sourceLocation)
        let jwk = try #require(
            try await OAuthEndpointKit.jwks(http).first { $0["kid"] as? String == kid },
            "kid \(kid) is not in the published JWKS",
            sourceLocation: sourceLocation
        )
        let set = String(decoding: try JSONSerialization.data(withJSONObject: ["keys": [jwk]]), as: UTF8.self)
        let verifier = try #require(ClientPublicKey.parseSet(set).first?.verifier(for: algorithm), sourceLocation: sourceLocation)
        let parts = try #require(ParsedJWS(jwt, maximumLength: 16_384), sourceLocation: sourceLocation)
        #expect(verifier.isValidSignature(parts.signature, for: parts.signingInput), "bad signature", sourceLocation: sourceLocation)
        return (header, claims, jwk)
    }

    /// A resource server (may introspect other clients' tokens) registered with `overrides`.
    static func resourceServer(_ flow: FlowContext, _ overrides: [String: Any] = [:]) async throws -> FlowClient {
        var body: [String: Any] = ["grant_types": ["client_credentials"], "is_resource_server": true]
        body.merge(overrides) { $1 }
        return try await flow.makeClient(body, name: "Resource Server")
    }

    /// The `token_introspection` claim of `jwt`, exactly as the JSON said it.
    static func introspectionMember(_ jwt: String) throws -> JSONValue? {
        let payload = try #require(Base64URL.decode(jwt.split(separator: ".", omittingEmptySubsequences: false)[1]))
        return try JSONDecoder().decode([String: JSONValue].self, from: Data(payload))["token_introspection"]
    }

    static func isJWT(_ response: TestResponse) -> Bool {
        response.headers[.contentType] == jwtType
    }

    @Test(
        "when a resource server asks for a JWT then it gets one: typ, kid in the JWKS, iss, aud = the caller, iat, token_introspection = the JSON answer",
        arguments: TestDatabase.all
    )
    func activeTokenAsJWT(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let owner = try await flow.makeClient()
            let server = try await Self.resourceServer(flow)
            let access = try #require(try await flow.tokens(for: owner, scope: "openid email")["access_token"] as? String)
            let now = Int(flow.clock.now.timeIntervalSince1970)
            let plain = try await flow.introspect(access, caller: server)
            #expect(plain.headers[.contentType]?.hasPrefix("application/json") == true, "JSON without Accept")

            let response = try await flow.introspect(access, caller: server, accept: Self.jwtType)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.contentType] == Self.jwtType)
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.init("Pragma")!] == "no-cache")
            #expect(response.headers[.vary] == "Accept")
            let jwt = try await Self.verifyWithPublishedJWKS(response.text, flow.http)
            #expect(jwt.header["typ"] as? String == "token-introspection+jwt")
            #expect(jwt.header["alg"] as? String == flow.server.server.configuration.signingAlgorithm.rawValue, "the default algorithm")
            #expect(Set(jwt.claims.keys) == ["iss", "aud", "iat", "token_introspection"], "no token claim at the top level: \(jwt.claims)")
            #expect(jwt.claims["iss"] as? String == Flow.issuer)
            #expect(jwt.claims["aud"] as? String == server.clientID, "aud is the caller, not the token's client")
            #expect(abs((jwt.claims["iat"] as? Int ?? 0) - now) <= 1)
            let inner = try #require(jwt.claims["token_introspection"] as? [String: Any])
            #expect(try Self.introspectionMember(response.text) == JSONDecoder().decode(JSONValue.self, from: Data(plain.text.utf8)), "\(plain.text)")
            #expect(inner["active"] as? Bool == true)
            #expect(inner["client_id"] as? String == owner.clientID)
        }
    }

    @Test(
        "when the token is revoked, random or another client's then the JWT's token_introspection is exactly {\"active\": false}",
        arguments: TestDatabase.all
    )
    func inactiveTokenAsJWT(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let owner = try await flow.makeClient()
            let other = try await flow.makeClient(name: "Other")
            let server = try await Self.resourceServer(flow)
            let revoked = try #require(try await flow.tokens(for: owner)["access_token"] as? String)
            #expect(try await flow.revoke(revoked, client: owner).status == .ok)
            let foreign = try #require(try await flow.tokens(for: owner)["access_token"] as? String)
            for (token, caller, name) in [(revoked, server, "revoked"), ("custos_at_nothing", server, "random"), (foreign, other, "foreign")] {
                let response = try await flow.introspect(token, caller: caller, accept: Self.jwtType)
                #expect(response.status == .ok, "\(name): \(response.text)")
                #expect(Self.isJWT(response), "\(name): \(response.headers[.contentType] ?? "none")")
                let jwt = try await Self.verifyWithPublishedJWKS(response.text, flow.http)
                #expect(jwt.claims["aud"] as? String == caller.clientID, "\(name)")
                #expect(try Self.introspectionMember(response.text) == .object(["active": .bool(false)]), "\(name): \(jwt.claims)")
            }
        }
    }

    @Test(
        "when the caller registered introspection_signed_response_alg then its JWT answers are signed with that algorithm's published key",
        arguments: ["PS256", "EdDSA", "RS256", "ES256"]
    )
    func registeredAlgorithm(algorithm: String) async throws {
        try await withFlow(.sqlite) { flow in
            let owner = try await flow.makeClient()
            let server = try await Self.resourceServer(flow, ["introspection_signed_response_alg": algorithm])
            let access = try #require(try await flow.tokens(for: owner)["access_token"] as? String)
            let response = try await flow.introspect(access, caller: server, accept: Self.jwtType)
            #expect(Self.isJWT(response), "\(response.status) \(response.text)")
            let jwt = try await Self.verifyWithPublishedJWKS(response.text, flow.http)
            #expect(jwt.header["alg"] as? String == algorithm)
            #expect(jwt.jwk["alg"] as? String == algorithm)
            #expect((jwt.claims["token_introspection"] as? [String: Any])?["active"] as? Bool == true)
        }
    }

    @Test("when Accept varies then the answer follows RFC 9110 weights and specificity, JSON winning ties and absent headers")
    func negotiation() async throws {
        let cases: [(accept: String?, jwt: Bool)] = [
            (nil, false),
            ("", false),
            ("*/*", false),
            ("application/*", false),
            ("application/json", false),
            ("application/json; charset=utf-8", false),
            ("application/json, application/token-introspection+jwt", false),
            ("application/token-introspection+jwt", true),
            ("APPLICATION/Token-Introspection+JWT", true),
            ("application/token-introspection+jwt, */*", true),
            ("application/token-introspection+jwt, application/json;q=0.9", true),
            ("application/json;q=0.5, application/token-introspection+jwt", true),
            ("application/token-introspection+jwt;q=0.4, application/json;q=0.8", false),
            ("application/token-introspection+jwt ; Q=1.000, application/json;q=0.999", true),
            ("*/*, application/json;q=0", true),
            ("application/json;q=2, application/token-introspection+jwt", true),
            ("text/html, application/token-introspection+jwt;q=0.1", true),
        ]
        try await withFlow(.sqlite) { flow in
            let owner = try await flow.makeClient()
            let server = try await Self.resourceServer(flow)
            let access = try #require(try await flow.tokens(for: owner)["access_token"] as? String)
            for (accept, expectsJWT) in cases {
                let response = try await flow.introspect(access, caller: server, accept: accept)
                #expect(response.status == .ok, "\(accept ?? "no Accept"): \(response.status) \(response.text)")
                if expectsJWT {
                    #expect(Self.isJWT(response), "\(accept ?? "no Accept"): \(response.headers[.contentType] ?? "none")")
                } else {
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(accept ?? "no Accept")")
                    #expect((try? response.json())?["active"] as? Bool == true, "\(accept ?? "no Accept"): \(response.text)")
                }
            }
        }
    }

    @Test("when Accept admits no representation the caller can have then 406 with an OAuth error, never an answer it refused")
    func notAcceptable() async throws {
        try await withFlow(.sqlite) { flow in
            let owner = try await flow.makeClient()
            let server = try await Self.resourceServer(flow)
            let access = try #require(try await flow.tokens(for: owner)["access_token"] as? String)
            for accept in ["text/html", "application/json;q=0", "application/token-introspection+jwt;q=0, application/json;q=0", "application/jwt"] {
                let response = try await flow.introspect(access, caller: server, accept: accept)
                #expect(response.status == .notAcceptable, "\(accept): \(response.status) \(response.text)")
                #expect(response.string("error") == "invalid_request", "\(accept): \(response.text)")
                #expect(response.text.contains("active") == false, "\(accept): the answer leaked: \(response.text)")
            }
            // An administrator token is no client a JWT could be addressed to: JSON or nothing.
            let adminToken = try await flow.http.adminToken()
            let onlyJWT = try await flow.introspect(access, bearer: adminToken, accept: Self.jwtType)
            #expect(onlyJWT.status == .notAcceptable, "\(onlyJWT.text)")
            #expect(onlyJWT.string("error_description")?.contains("administrator") == true, "\(onlyJWT.text)")
            let either = try await flow.introspect(access, bearer: adminToken, accept: "\(Self.jwtType), application/json;q=0.5")
            #expect(either.status == .ok)
            #expect(try either.json()["active"] as? Bool == true, "\(either.text)")
        }
    }

    @Test("when introspection_signed_response_alg is none or unknown then the admin API and dynamic registration refuse it, naming the field")
    func invalidAlgorithmRefused() async throws {
        try await withAdmin(.sqlite) { admin in
            for value in ["none", "HS256", "RS1024"] {
                try await admin.expectCreateRejected(
                    clientBody(["introspection_signed_response_alg": value]),
                    naming: ["introspection_signed_response_alg"],
                    value
                )
                let response = try await Registration.post(admin.http, Registration.metadata(["introspection_signed_response_alg": value]))
                expectRegistrationError(response, error: "invalid_client_metadata", value)
                #expect(response.string("error_description")?.contains("introspection_signed_response_alg") == true, "\(response.text)")
            }
            let fapi = try await admin.call(
                .post,
                "/oauth/clients",
                json: clientBody([
                    "fapi_profile": "fapi2_message_signing", "client_auth_methods": ["private_key_jwt"],
                    "jwks": SampleKeys.validJWKS, "introspection_signed_response_alg": "RS256",
                ])
            )
            expectSimpleError(fapi, .badRequest, naming: ["introspection_signed_response_alg"], "RS256 for a FAPI client")
            let registered = try await Registration.register(admin.http, ["introspection_signed_response_alg": "PS256"])
            #expect(registered.clientID.isEmpty == false)
        }
    }

    @Test("when discovery is read then introspection_signing_alg_values_supported lists the algorithms the server has keys for")
    func discovery() async throws {
        try await withFlow(.sqlite) { flow in
            let response = try await flow.http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil)
            let listed = try #require(try response.json()["introspection_signing_alg_values_supported"] as? [String], "\(response.text)")
            #expect(listed == flow.server.server.keys.signingAlgorithms.map(\.rawValue))
            #expect(Set(listed).isSuperset(of: ["ES256", "PS256", "EdDSA"]), "\(listed)")
        }
    }
}
