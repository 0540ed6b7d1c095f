import Crypto
import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Client assertions at the token endpoint (RFC 7523 §3, OpenID Connect Core §9, pinned rules 5
/// and 6): private_key_jwt with a P-256 key made in the test, client_secret_jwt with HS256
/// under the client's secret; every malformed or replayed assertion is 401 invalid_client.
@Suite("Client authentication: client assertions")
struct ClientAssertionTests {
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    /// A machine client registered for private_key_jwt with `key`'s public JWK.
    struct KeyClient: Sendable {
        let clientID: String
        let key: SigningKey
    }

    static func keyClient(_ flow: FlowContext, methods: [String] = ["private_key_jwt"]) async throws -> KeyClient {
        let key = try SigningKey.generate(.ES256)
        let jwks = SampleKeys.jwksText([key.verificationKey.jwk])
        let client = try await flow.makeClient([
            "client_auth_methods": methods, "jwks": jwks, "grant_types": ["client_credentials", "authorization_code"],
        ])
        return KeyClient(clientID: client.clientID, key: key)
    }

    /// Valid claims for `clientID` at the server's current time, with `changes` applied (NSNull removes).
    static func claims(_ flow: FlowContext, clientID: String, _ changes: [String: Any] = [:]) -> [String: Any] {
        let now = Int(flow.clock.now.timeIntervalSince1970)
        var claims: [String: Any] = [
            "iss": clientID, "sub": clientID, "aud": Flow.issuer, "iat": now, "exp": now + 60, "jti": ULID.make(),
        ]
        for (name, value) in changes {
            if value is NSNull { claims.removeValue(forKey: name) } else { claims[name] = value }
        }
        return claims
    }

    static func header(_ key: SigningKey, _ changes: [String: Any] = [:]) -> [String: Any] {
        var header: [String: Any] = ["alg": "ES256", "kid": key.kid, "typ": "JWT"]
        for (name, value) in changes {
            if value is NSNull { header.removeValue(forKey: name) } else { header[name] = value }
        }
        return header
    }

    /// A client_credentials request authenticated by `assertion` (and optionally more fields).
    static func tokenRequest(
        _ flow: FlowContext,
        assertion: String,
        extra: [(String, String)] = [],
        authorization: String? = nil
    ) async throws -> TestResponse {
        try await OAuthEndpointKit.post(
            flow.http,
            [("grant_type", "client_credentials"), ("client_assertion_type", assertionType), ("client_assertion", assertion)] + extra,
            authorization: authorization
        )
    }

    static func expectInvalidClient(_ response: TestResponse, _ comment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .unauthorized, "\(comment): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        #expect(response.string("error") == "invalid_client", "\(comment): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.string("access_token") == nil, "\(comment): a token was issued", sourceLocation: sourceLocation)
    }

    // MARK: private_key_jwt

    @Test("when a private_key_jwt client signs a valid assertion then it gets a token, with or without client_id", arguments: TestDatabase.all)
    func privateKeyJWTSuccess(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            let assertion = try signedJWT(header: Self.header(client.key), payload: Self.claims(flow, clientID: client.clientID), key: client.key)
            let response = try await Self.tokenRequest(flow, assertion: assertion)
            #expect(response.status == .ok, "\(response.text)")
            let token = try #require(response.string("access_token"))
            #expect(try jwtSegments(token).payload["client_id"] as? String == client.clientID)

            let withID = try signedJWT(header: Self.header(client.key), payload: Self.claims(flow, clientID: client.clientID), key: client.key)
            #expect(try await Self.tokenRequest(flow, assertion: withID, extra: [("client_id", client.clientID)]).status == .ok)
            // aud may also be the token endpoint URL for a non-FAPI client (pinned rule 5).
            let endpointAudience = try signedJWT(
                header: Self.header(client.key),
                payload: Self.claims(flow, clientID: client.clientID, ["aud": Flow.issuer + OAuthEndpointKit.tokenPath]),
                key: client.key
            )
            #expect(try await Self.tokenRequest(flow, assertion: endpointAudience).status == .ok)
            // Without kid the registered keys are tried.
            let noKid = try signedJWT(
                header: Self.header(client.key, ["kid": NSNull()]),
                payload: Self.claims(flow, clientID: client.clientID),
                key: client.key
            )
            #expect(try await Self.tokenRequest(flow, assertion: noKid).status == .ok)
        }
    }

    @Test("when the assertion has alg none (with or without a signature) then 401 invalid_client", arguments: TestDatabase.all)
    func algNone(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            for alg in ["none", "None", "NONE"] {
                let input = try jwtSigningInput(header: Self.header(client.key, ["alg": alg]), payload: Self.claims(flow, clientID: client.clientID))
                Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: input + "."), "alg \(alg), empty signature")
                let signed = try signedJWT(
                    header: Self.header(client.key, ["alg": alg]),
                    payload: Self.claims(flow, clientID: client.clientID),
                    key: client.key
                )
                Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: signed), "alg \(alg), real signature")
            }
        }
    }

    @Test("when HS256 is computed with the client's public key as the secret then 401 (no algorithm confusion)", arguments: TestDatabase.all)
    func hmacWithPublicKey(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            let jwkText = SampleKeys.jwksText([client.key.verificationKey.jwk])
            let input = try jwtSigningInput(header: Self.header(client.key, ["alg": "HS256"]), payload: Self.claims(flow, clientID: client.clientID))
            let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(jwkText.utf8)))
            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: input + "." + Base64URL.encode(Data(mac))), "HS256 with the JWK")
        }
    }

    @Test("when the same assertion (same jti) is presented twice then the second is 401 invalid_client", arguments: TestDatabase.all)
    func reusedJTI(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            let claims = Self.claims(flow, clientID: client.clientID, ["jti": "jti-once"])
            let assertion = try signedJWT(header: Self.header(client.key), payload: claims, key: client.key)
            #expect(try await Self.tokenRequest(flow, assertion: assertion).status == .ok)
            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: assertion), "same assertion again")
            // A fresh assertion reusing only the jti is refused as well.
            flow.clock.advance(by: 5)
            let again = try signedJWT(
                header: Self.header(client.key),
                payload: Self.claims(flow, clientID: client.clientID, ["jti": "jti-once"]),
                key: client.key
            )
            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: again), "new assertion, old jti")
            // A missing jti is refused too: single use cannot be checked without it.
            let noJTI = try signedJWT(
                header: Self.header(client.key),
                payload: Self.claims(flow, clientID: client.clientID, ["jti": NSNull()]),
                key: client.key
            )
            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: noJTI), "no jti")
        }
    }

    @Test("when aud is wrong then 401 invalid_client", arguments: TestDatabase.all)
    func wrongAudience(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            let audiences: [Any] = [
                "https://evil.example", Flow.issuer + "/", "http://custos.test/api/v1/oauth/introspect", ["https://evil.example"],
                "HTTP://CUSTOS.TEST",
            ]
            for audience in audiences {
                let assertion = try signedJWT(
                    header: Self.header(client.key),
                    payload: Self.claims(flow, clientID: client.clientID, ["aud": audience]),
                    key: client.key
                )
                Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: assertion), "aud \(audience)")
            }
            let noAudience = try signedJWT(
                header: Self.header(client.key),
                payload: Self.claims(flow, clientID: client.clientID, ["aud": NSNull()]),
                key: client.key
            )
            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: noAudience), "no aud")
        }
    }

    @Test("when the assertion is expired, has no exp, or is issued in the future then 401 invalid_client", arguments: TestDatabase.all)
    func timeClaims(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            let now = Int(flow.clock.now.timeIntervalSince1970)
            let cases: [(String, [String: Any])] = [
                ("expired 11 s ago (beyond the 10 s leeway)", ["exp": now - 11, "iat": now - 71]),
                ("expired an hour ago", ["exp": now - 3600, "iat": now - 3660]),
                ("no exp", ["exp": NSNull()]),
                ("exp as a string", ["exp": "\(now + 60)"]),
                ("iat a minute in the future", ["iat": now + 60, "exp": now + 120]),
                ("nbf a minute in the future", ["nbf": now + 60, "exp": now + 120]),
                ("valid for a day", ["exp": now + 86_400]),
            ]
            for (name, changes) in cases {
                let assertion = try signedJWT(
                    header: Self.header(client.key),
                    payload: Self.claims(flow, clientID: client.clientID, changes),
                    key: client.key
                )
                Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: assertion), name)
            }
            // Control: within the leeway (expired 5 s ago) it is accepted.
            let leeway = try signedJWT(
                header: Self.header(client.key),
                payload: Self.claims(flow, clientID: client.clientID, ["exp": now - 5, "iat": now - 60]),
                key: client.key
            )
            #expect(try await Self.tokenRequest(flow, assertion: leeway).status == .ok)
        }
    }

    @Test("when iss differs from sub, sub is missing, or both name another client then 401 invalid_client", arguments: TestDatabase.all)
    func issuerAndSubject(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            let other = try await Self.keyClient(flow)
            let cases: [(String, [String: Any], [(String, String)])] = [
                ("iss ≠ sub", ["iss": "someone-else"], []),
                ("no sub", ["sub": NSNull()], []),
                ("no iss", ["iss": NSNull()], []),
                ("iss = sub = another client, signed with this key", ["iss": other.clientID, "sub": other.clientID], []),
                ("client_id in the body differs", [:], [("client_id", other.clientID)]),
            ]
            for (name, changes, extra) in cases {
                let assertion = try signedJWT(
                    header: Self.header(client.key),
                    payload: Self.claims(flow, clientID: client.clientID, changes),
                    key: client.key
                )
                Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: assertion, extra: extra), name)
            }
        }
    }

    @Test("when the signature is from another key or tampered then 401 invalid_client", arguments: TestDatabase.all)
    func badSignature(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            let stranger = try SigningKey.generate(.ES256)
            let foreign = try signedJWT(
                header: Self.header(client.key),
                payload: Self.claims(flow, clientID: client.clientID),
                key: stranger
            )
            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: foreign), "signed by an unregistered key")
            let good = try signedJWT(header: Self.header(client.key), payload: Self.claims(flow, clientID: client.clientID), key: client.key)
            var parts = good.split(separator: ".").map(String.init)
            parts[1] = Base64URL.encode(try JSONSerialization.data(withJSONObject: Self.claims(flow, clientID: client.clientID)))
            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: parts.joined(separator: ".")), "payload swapped")
            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: "not.a.jwt"), "garbage")
            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: "x"), "one segment")
        }
    }

    @Test("when kid is 10 KB, a path or SQL then 401 invalid_client and never 500", arguments: TestDatabase.all)
    func hostileKid(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            for kid in [String(repeating: "k", count: 10 * 1024), "../../../../dev/null", "' OR '1'='1", "\u{0}"] {
                let assertion = try signedJWT(
                    header: Self.header(client.key, ["kid": kid]),
                    payload: Self.claims(flow, clientID: client.clientID),
                    key: client.key
                )
                let response = try await Self.tokenRequest(flow, assertion: assertion)
                #expect(response.status != .internalServerError, "kid \(kid.prefix(20)): 500")
                Self.expectInvalidClient(response, "kid \(kid.prefix(20))")
            }
        }
    }

    @Test(
        "when a client registered only for private_key_jwt presents a secret, Basic or nothing then 401 invalid_client",
        arguments: TestDatabase.all
    )
    func otherMethodsRefused(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            // It has a secret from create? Try any plausible secret; the method itself must be refused.
            let post = try await OAuthEndpointKit.post(
                flow.http,
                [("grant_type", "client_credentials"), ("client_id", client.clientID), ("client_secret", "anything")]
            )
            Self.expectInvalidClient(post, "client_secret_post")
            let basic = try await OAuthEndpointKit.post(
                flow.http,
                [("grant_type", "client_credentials")],
                authorization: OAuthEndpointKit.basic(client.clientID, "anything")
            )
            Self.expectInvalidClient(basic, "client_secret_basic")
            let none = try await OAuthEndpointKit.post(flow.http, [("grant_type", "client_credentials"), ("client_id", client.clientID)])
            Self.expectInvalidClient(none, "no credentials")
        }
    }

    @Test(
        "when a client registered private_key_jwt and client_secret_basic uses them then both work, but client_secret_post with the real secret is 401",
        arguments: TestDatabase.all
    )
    func onlyRegisteredMethods(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let created = try await flow.makeClient([
                "client_auth_methods": ["private_key_jwt", "client_secret_basic"], "jwks": SampleKeys.jwksText([key.verificationKey.jwk]),
                "grant_types": ["client_credentials"],
            ])
            let secret = try #require(created.secret, "a client with client_secret_basic gets a secret")
            let assertion = try signedJWT(header: Self.header(key), payload: Self.claims(flow, clientID: created.clientID), key: key)
            #expect(try await Self.tokenRequest(flow, assertion: assertion).status == .ok, "private_key_jwt")
            #expect(try await flow.http.tokenRequest(clientID: created.clientID, secret: secret).status == .ok, "client_secret_basic")
            let post = try await OAuthEndpointKit.post(
                flow.http,
                [("grant_type", "client_credentials"), ("client_id", created.clientID), ("client_secret", secret)]
            )
            Self.expectInvalidClient(post, "client_secret_post with the real secret, a method not registered")
        }
    }

    @Test("when an assertion comes with a wrong client_assertion_type or together with Basic then it is refused", arguments: TestDatabase.all)
    func assertionTypeAndMixing(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await Self.keyClient(flow)
            let assertion = try signedJWT(header: Self.header(client.key), payload: Self.claims(flow, clientID: client.clientID), key: client.key)
            let wrongType = try await OAuthEndpointKit.post(
                flow.http,
                [
                    ("grant_type", "client_credentials"), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"),
                    ("client_assertion", assertion),
                ]
            )
            #expect([400, 401].contains(Int(wrongType.status.code)), "\(wrongType.text)")
            #expect(wrongType.string("access_token") == nil)
            let mixed = try await Self.tokenRequest(
                flow,
                assertion: assertion,
                authorization: OAuthEndpointKit.basic(client.clientID, "whatever")
            )
            #expect([400, 401].contains(Int(mixed.status.code)), "\(mixed.text)")
            #expect(mixed.string("access_token") == nil)
        }
    }

    // MARK: client_secret_jwt

    @Test(
        "when a client_secret_jwt client signs HS256 with its secret then it gets a token; a wrong secret or reuse is 401",
        arguments: TestDatabase.all
    )
    func clientSecretJWT(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["client_auth_methods": ["client_secret_jwt"], "grant_types": ["client_credentials"]])
            let secret = try #require(client.secret, "create returns the secret")
            func sign(_ claims: [String: Any], with key: String) throws -> String {
                let input = try jwtSigningInput(header: ["alg": "HS256", "typ": "JWT"], payload: claims)
                let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(key.utf8)))
                return input + "." + Base64URL.encode(Data(mac))
            }
            let assertion = try sign(Self.claims(flow, clientID: client.clientID), with: secret)
            let response = try await Self.tokenRequest(flow, assertion: assertion)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.string("access_token") != nil)

            Self.expectInvalidClient(try await Self.tokenRequest(flow, assertion: assertion), "same jti again")
            Self.expectInvalidClient(
                try await Self.tokenRequest(flow, assertion: try sign(Self.claims(flow, clientID: client.clientID), with: secret + "x")),
                "wrong secret"
            )
            Self.expectInvalidClient(
                try await Self.tokenRequest(
                    flow,
                    assertion: try sign(Self.claims(flow, clientID: client.clientID, ["aud": "https://evil.example"]), with: secret)
                ),
                "wrong aud"
            )
            // The plain secret is not accepted for a client registered only for client_secret_jwt.
            let basic = try await OAuthEndpointKit.post(
                flow.http,
                [("grant_type", "client_credentials")],
                authorization: OAuthEndpointKit.basic(client.clientID, secret)
            )
            Self.expectInvalidClient(basic, "client_secret_basic")
        }
    }

    @Test("when a client registered only for client_secret_basic sends a valid HS256 assertion then 401", arguments: TestDatabase.all)
    func secretJWTNotRegistered(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["grant_types": ["client_credentials"]])
            let secret = try #require(client.secret)
            let input = try jwtSigningInput(header: ["alg": "HS256", "typ": "JWT"], payload: Self.claims(flow, clientID: client.clientID))
            let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            Self.expectInvalidClient(
                try await Self.tokenRequest(flow, assertion: input + "." + Base64URL.encode(Data(mac))),
                "unregistered method"
            )
            #expect(try await flow.http.tokenRequest(clientID: client.clientID, secret: secret).status == .ok, "control: Basic works")
        }
    }
}
