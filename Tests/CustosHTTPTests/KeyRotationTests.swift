import Crypto
import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Signing-key rotation (issue 4 item 7, OpenID Connect Core §10.1.1): a new key is published
/// ahead of use, then signs; the old one stays published while tokens it signed may live; and
/// the discovery document lists what the server supports.
@Suite("Key rotation and discovery")
struct KeyRotationTests {
    /// The kids of the published keys of the access-token algorithm (ES256 by default); the
    /// JWKS may hold keys of other algorithms too (ID tokens), each rotating on its own.
    static func jwksKids(_ http: any TestClientProtocol, alg: String = "ES256") async throws -> Set<String> {
        Set(try await OAuthEndpointKit.jwks(http).filter { $0["alg"] as? String == alg }.compactMap { $0["kid"] as? String })
    }

    /// Every published kid, whatever the algorithm.
    static func allJWKSKids(_ http: any TestClientProtocol) async throws -> Set<String> {
        Set(try await OAuthEndpointKit.jwks(http).compactMap { $0["kid"] as? String })
    }

    static func kid(of token: String) throws -> String {
        try #require(try jwtSegments(token).header["kid"] as? String)
    }

    /// `GET /admin/keys` items by kid.
    static func adminKeys(
        _ http: any TestClientProtocol,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws
        -> [String: [String: Any]]
    {
        let response = try await http.admin(.get, "/keys", token: try await http.adminToken())
        try #require(response.status == .ok, "GET /admin/keys: \(response.text)", sourceLocation: sourceLocation)
        let items = try #require(try response.json()["items"] as? [[String: Any]], sourceLocation: sourceLocation)
        return Dictionary(uniqueKeysWithValues: items.compactMap { item in (item["kid"] as? String).map { ($0, item) } })
    }

    @Test(
        "when a key is rotated then it is published at once, signs after 24 h, and the old key stays published until its tokens expired",
        arguments: TestDatabase.all
    )
    func rotationLifecycle(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let http = flow.http
            let server = flow.server.server
            let initialToken = try await http.adminToken()
            let oldKid = try Self.kid(of: initialToken)
            #expect(try await Self.jwksKids(http) == [oldKid])
            let otherAlgorithms = try await Self.allJWKSKids(http).subtracting([oldKid])

            // 1. Rotate: the new key appears in the JWKS at once, but tokens are still signed with the old one.
            let rotated = try await http.admin(.post, "/keys/rotate", token: initialToken)
            #expect(rotated.status == .created, "\(rotated.text)")
            let newKid = try #require(try rotated.data()["kid"] as? String, "\(rotated.text)")
            #expect(newKid != oldKid)
            #expect(try rotated.data()["status"] as? String == "next")
            #expect(try await Self.jwksKids(http) == [oldKid, newKid])
            #expect(try Self.kid(of: try await http.adminToken()) == oldKid, "the announced key must not sign yet")
            let listed = try await Self.adminKeys(http)
            #expect(listed[newKid]?["status"] as? String == "next")
            #expect(listed[oldKid]?["status"] as? String == "active")

            // 2. Shortly before the switch, a token signed with the old key.
            flow.clock.advance(by: 86_400 - 120)
            try await server.keyRotation.maintain()
            let lateOldToken = try await http.adminToken()
            #expect(try Self.kid(of: lateOldToken) == oldKid, "still the old key 2 minutes before the switch")

            // 3. After the announcement period: the new key signs; the old one is still published and verifies.
            flow.clock.advance(by: 121)
            try await server.keyRotation.maintain()
            let newToken = try await http.adminToken()
            #expect(try Self.kid(of: newToken) == newKid, "the new key signs after 24 h")
            #expect(try await Self.jwksKids(http) == [oldKid, newKid])
            let stillAccepted = try await http.admin(.get, "/oauth/clients", token: lateOldToken)
            #expect(stillAccepted.status == .ok, "a token signed by the retired key still verifies: \(stillAccepted.text)")
            #expect(try await flow.isActive(lateOldToken))
            let afterSwitch = try await Self.adminKeys(http)
            #expect(afterSwitch[oldKid]?["status"] as? String == "retired")
            #expect(afterSwitch[newKid]?["status"] as? String == "active")
            let retiresAt = try #require(afterSwitch[oldKid]?["retires_at"] as? String)
            let retiresDate = try #require(ISO8601DateFormatter().date(from: retiresAt), "retires_at \(retiresAt)")
            #expect(retiresDate.timeIntervalSince(flow.clock.now) >= 900, "published at least as long as an access token lives")

            // 4. Once the retired key's retires_at has passed, it leaves the JWKS.
            flow.clock.advance(by: retiresDate.timeIntervalSince(flow.clock.now) + 1)
            try await server.keyRotation.maintain()
            #expect(try await Self.jwksKids(http) == [newKid])
            #expect(try Self.kid(of: try await http.adminToken()) == newKid)
            // Keys of the other algorithms were not touched by this rotation.
            #expect(try await Self.allJWKSKids(http).isSuperset(of: otherAlgorithms))
        }
    }

    @Test("when a key is rotated with immediately=true then it signs at once and the old one stays published", arguments: TestDatabase.all)
    func immediateRotation(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let token = try await flow.http.adminToken()
            let oldKid = try Self.kid(of: token)
            flow.clock.advance(by: 1)
            let rotated = try await flow.http.admin(.post, "/keys/rotate", token: token, json: ["immediately": true])
            #expect(rotated.status == .created, "\(rotated.text)")
            let newKid = try #require(try rotated.data()["kid"] as? String)
            #expect(try Self.kid(of: try await flow.http.adminToken()) == newKid)
            #expect(try await Self.jwksKids(flow.http) == [oldKid, newKid])
            #expect(try await flow.http.admin(.get, "/oauth/clients", token: token).status == .ok, "the old key's token still verifies")
        }
    }

    @Test("when the key endpoints are called without an admin token then 401 and nothing rotates", arguments: TestDatabase.all)
    func keysNeedAdmin(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let before = try await Self.jwksKids(flow.http)
            let rotate = try await flow.http.admin(.post, "/keys/rotate", token: nil)
            #expect(rotate.status == .unauthorized, "\(rotate.text)")
            let list = try await flow.http.admin(.get, "/keys", token: nil)
            #expect(list.status == .unauthorized)
            // A user's token is no admin token.
            let client = try await flow.makeClient()
            let userToken = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            let forbidden = try await flow.http.admin(.post, "/keys/rotate", token: userToken)
            #expect(forbidden.status == .forbidden || forbidden.status == .unauthorized, "\(forbidden.text)")
            #expect(try await Self.jwksKids(flow.http) == before)
        }
    }

    // MARK: Discovery

    static let expectedAuthMethods: Set<String> = ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"]

    @Test(
        "when discovery is read then it lists the endpoints, S256 only, code (and fapi1's code id_token), iss parameter support and the auth methods",
        arguments: TestDatabase.all
    )
    func discoveryDocument(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            for path in ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"] {
                let response = try await flow.http.execute(uri: path, method: .get, headers: [:], body: nil)
                #expect(response.status == .ok, "\(path): \(response.text)")
                let doc = try response.json()
                #expect(doc["issuer"] as? String == Flow.issuer)
                #expect(doc["authorization_endpoint"] as? String == Flow.issuer + Flow.authorizePath)
                #expect(doc["token_endpoint"] as? String == Flow.issuer + OAuthEndpointKit.tokenPath)
                #expect(doc["introspection_endpoint"] as? String == Flow.issuer + Flow.introspectPath)
                #expect(doc["revocation_endpoint"] as? String == Flow.issuer + Flow.revokePath)
                #expect(doc["jwks_uri"] as? String == Flow.issuer + "/.well-known/jwks.json")
                #expect(doc["code_challenge_methods_supported"] as? [String] == ["S256"])
                // `code id_token` is the hybrid flow of fapi1 clients (the JARM tests cover it).
                #expect(doc["response_types_supported"] as? [String] == ["code", "code id_token"])
                #expect(doc["authorization_response_iss_parameter_supported"] as? Bool == true)
                #expect(
                    Set(doc["response_modes_supported"] as? [String] ?? [])
                        == ["query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"]
                )
                #expect(
                    Set(doc["grant_types_supported"] as? [String] ?? []).isSuperset(of: ["authorization_code", "refresh_token", "client_credentials"]
                    ),
                    "\(doc["grant_types_supported"] ?? "nil")"
                )
                let methods = Set(doc["token_endpoint_auth_methods_supported"] as? [String] ?? [])
                #expect(
                    methods.isSuperset(of: Self.expectedAuthMethods),
                    "every method the token endpoint accepts; public clients redeem codes with \"none\": \(methods.sorted())"
                )
                // Introspection needs real caller authentication (RFC 7662 §2.1): never "none".
                let introspectionMethods = doc["introspection_endpoint_auth_methods_supported"] as? [String] ?? []
                #expect(!introspectionMethods.isEmpty && !introspectionMethods.contains("none"), "\(introspectionMethods)")
                let algorithms = doc["token_endpoint_auth_signing_alg_values_supported"] as? [String] ?? []
                #expect(!algorithms.contains { $0.lowercased() == "none" })
                #expect(algorithms.contains("ES256") && algorithms.contains("HS256"))
            }
        }
    }

    @Test("when each listed token endpoint auth method is used then it authenticates its client", arguments: TestDatabase.all)
    func everyListedMethodWorks(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let doc = try await flow.http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil).json()
            let listed = try #require(doc["token_endpoint_auth_methods_supported"] as? [String])
            #expect(!listed.isEmpty)
            for method in listed {
                let response: TestResponse
                switch method {
                case "client_secret_basic":
                    let client = try await flow.makeClient(["client_auth_methods": ["client_secret_basic"], "grant_types": ["client_credentials"]])
                    response = try await flow.http.tokenRequest(clientID: client.clientID, secret: try #require(client.secret))
                case "client_secret_post":
                    let client = try await flow.makeClient(["client_auth_methods": ["client_secret_post"], "grant_types": ["client_credentials"]])
                    response = try await OAuthEndpointKit.post(
                        flow.http,
                        [("grant_type", "client_credentials"), ("client_id", client.clientID), ("client_secret", try #require(client.secret))]
                    )
                case "client_secret_jwt":
                    let client = try await flow.makeClient(["client_auth_methods": ["client_secret_jwt"], "grant_types": ["client_credentials"]])
                    let input = try jwtSigningInput(header: ["alg": "HS256"], payload: ClientAssertionTests.claims(flow, clientID: client.clientID))
                    let mac = HMAC<SHA256>.authenticationCode(
                        for: Data(input.utf8),
                        using: SymmetricKey(data: Data(try #require(client.secret).utf8))
                    )
                    response = try await ClientAssertionTests.tokenRequest(flow, assertion: input + "." + Base64URL.encode(Data(mac)))
                case "private_key_jwt":
                    let client = try await ClientAssertionTests.keyClient(flow)
                    let assertion = try signedJWT(
                        header: ClientAssertionTests.header(client.key),
                        payload: ClientAssertionTests.claims(flow, clientID: client.clientID),
                        key: client.key
                    )
                    response = try await ClientAssertionTests.tokenRequest(flow, assertion: assertion)
                case "none":
                    let client = try await flow.makePublicClient()
                    let code = try await flow.code(for: client)
                    response = try await flow.redeem(code, client: client)
                case "tls_client_auth", "self_signed_tls_client_auth":
                    // A certificate reaches the router test client only through a live TLS
                    // listener or proxy (MutualTLSTests drive those); here the listed verifier is
                    // asked with the certificate as the HTTP layer presents it.
                    let key = P256.Signing.PrivateKey().publicKey
                    var body: [String: Any] = ["client_auth_methods": [method], "grant_types": ["client_credentials"]]
                    if method == "tls_client_auth" {
                        body["tls_client_auth_subject_dn"] = "CN=client.example.com"
                    } else {
                        body["jwks"] = ECPublicKeyJWKS.jwks(key)
                    }
                    let client = try await flow.makeClient(body)
                    let certificate = PresentedCertificate(
                        der: Array("certificate of \(method)".utf8),
                        subjectDN: "CN=client.example.com",
                        publicKeySPKI: Array(key.derRepresentation),
                        chainsToTrustedCA: method == "tls_client_auth"
                    )
                    let authenticated = try await flow.server.server.clientAuthenticator.authenticate(
                        RequestPresentation(credentials: PresentedClientCredentials(bodyClientID: client.clientID), clientCertificate: certificate),
                        source: .unknown
                    )
                    #expect(authenticated.method.rawValue == method && authenticated.client.clientID == client.clientID)
                    continue
                default:
                    Issue.record("discovery lists \(method), which this test does not know how to use")
                    continue
                }
                #expect(response.status == .ok, "\(method): \(response.text)")
                #expect(response.string("access_token") != nil, "\(method)")
            }
        }
    }
}
