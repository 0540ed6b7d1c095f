import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /oauth/introspect` (RFC 7662) and the swagger's `POST /internal/oauth/introspect`:
/// authenticated callers only; the full claim set for an active token; exactly
/// `{"active":false}` for anything else; `token_type_hint` is only a hint.
@Suite("Token introspection")
struct IntrospectionTests {
    /// Expects the RFC 7662 §2.2 answer for an inactive token: 200 and nothing but `active: false`.
    static func expectInactive(_ response: TestResponse, _ comment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .ok, "\(comment): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        let json = try? response.json()
        #expect(json?.count == 1, "\(comment): \(response.text)", sourceLocation: sourceLocation)
        #expect(json?["active"] as? Bool == false, "\(comment): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.text == #"{"active":false}"#, "\(comment): \(response.text)", sourceLocation: sourceLocation)
    }

    @Test("when the caller does not authenticate then 401 and nothing about the token", arguments: TestDatabase.all)
    func unauthenticated(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            let anonymous = try await flow.introspect(access)
            #expect(anonymous.status == .unauthorized, "\(anonymous.text)")
            #expect(anonymous.string("error") == "invalid_client", "\(anonymous.text)")
            #expect((try? anonymous.json())?["active"] == nil)
            let wrongSecret = try await flow.introspect(
                access,
                caller: FlowClient(clientID: client.clientID, secret: "wrong", redirectURI: client.redirectURI)
            )
            #expect(wrongSecret.status == .unauthorized, "\(wrongSecret.text)")
            #expect((try? wrongSecret.json())?["active"] == nil)
        }
    }

    @Test("when a public client names itself with client_id only then it may not introspect (no token scanning)", arguments: TestDatabase.all)
    func publicClientCannotScan(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let victim = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: victim)["access_token"] as? String)
            let scanner = try await flow.makePublicClient(name: "Scanner")
            let response = try await flow.introspect(access, caller: scanner)
            #expect(response.status == .unauthorized, "RFC 7662 §2.1 wants caller authentication; client_id alone is none: \(response.text)")
            #expect((try? response.json())?["active"] as? Bool != true, "an unauthenticated caller learned the token is active: \(response.text)")
        }
    }

    @Test("when a non-admin bearer token is the caller's credential then 401", arguments: TestDatabase.all)
    func nonAdminBearer(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            let response = try await flow.introspect(access, bearer: access)
            #expect(response.status == .unauthorized, "\(response.text)")
            #expect((try? response.json())?["active"] == nil)
        }
    }

    @Test(
        "when a client introspects an active JWT access token then it gets active, scope, client_id, sub, exp, iat, iss and token_type",
        arguments: TestDatabase.all
    )
    func activeJWT(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let now = Int(flow.clock.now.timeIntervalSince1970)
            let body = try await flow.tokens(for: client, scope: "openid email")
            let access = try #require(body["access_token"] as? String)
            let response = try await flow.introspect(access, caller: client)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.cacheControl] == "no-store")
            let json = try response.json()
            #expect(json["active"] as? Bool == true)
            #expect(json["scope"] as? String == "openid email")
            #expect(json["client_id"] as? String == client.clientID)
            #expect(json["sub"] as? String == flow.user.id)
            #expect(json["iss"] as? String == Flow.issuer)
            #expect(json["token_type"] as? String == "Bearer")
            #expect(json["username"] == nil, "username goes to resource servers only: \(response.text)")
            let claims = try jwtSegments(access).payload
            #expect(json["exp"] as? Int == claims["exp"] as? Int)
            #expect(json["iat"] as? Int == claims["iat"] as? Int)
            #expect(json["jti"] as? String == claims["jti"] as? String)
            #expect(abs((json["iat"] as? Int ?? 0) - now) <= 1)
            #expect((json["exp"] as? Int ?? 0) - (json["iat"] as? Int ?? 0) == 900)
            #expect(json["code"] == nil && json["data"] == nil, "flat RFC 7662 shape")
        }
    }

    @Test("when the caller authenticates with client_secret_post then introspection works too", arguments: TestDatabase.all)
    func postAuthenticatedCaller(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let caller = try await flow.makeClient([
                "client_auth_methods": ["client_secret_post"], "grant_types": ["client_credentials"], "is_resource_server": true,
            ])
            let client = try await flow.makeClient(name: "Owner")
            let access = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            let response = try await flow.http.execute(
                uri: Flow.introspectPath,
                method: .post,
                headers: [.contentType: OAuthEndpointKit.formType],
                body: ByteBuffer(
                    string: FormEncoding.encode([
                        ("token", access), ("client_id", caller.clientID), ("client_secret", caller.secret ?? ""),
                    ])
                )
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["active"] as? Bool == true)
        }
    }

    @Test("when an opaque access token and a refresh token are introspected then they are active with their kind", arguments: TestDatabase.all)
    func opaqueAndRefresh(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["access_token_format": "opaque"])
            let body = try await flow.tokens(for: client)
            let access = try #require(body["access_token"] as? String)
            #expect(access.split(separator: ".").count != 3, "opaque, not a JWT: \(access)")
            let json = try await flow.introspect(access, caller: client).json()
            #expect(json["active"] as? Bool == true, "\(json)")
            #expect(json["client_id"] as? String == client.clientID)
            #expect(json["sub"] as? String == flow.user.id)
            #expect(json["scope"] as? String == "openid profile")
            #expect(json["token_type"] as? String == "Bearer")

            let refresh = try #require(body["refresh_token"] as? String)
            let refreshJSON = try await flow.introspect(refresh, caller: client).json()
            #expect(refreshJSON["active"] as? Bool == true, "\(refreshJSON)")
            #expect(refreshJSON["client_id"] as? String == client.clientID)
            #expect(refreshJSON["token_type"] as? String != "Bearer", "a refresh token is not a Bearer access token")
        }
    }

    @Test("when a token is expired, revoked or random then the answer is exactly {\"active\":false}", arguments: TestDatabase.all)
    func inactiveTokens(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let opaqueClient = try await flow.makeClient(["access_token_format": "opaque"], name: "Opaque")
            let revokedAccess = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            #expect(try await flow.revoke(revokedAccess, client: client).status == .ok)
            let opaqueRevoked = try #require(try await flow.tokens(for: opaqueClient)["access_token"] as? String)
            #expect(try await flow.revoke(opaqueRevoked, client: opaqueClient).status == .ok)

            Self.expectInactive(try await flow.introspect(revokedAccess, caller: client), "revoked JWT")
            Self.expectInactive(try await flow.introspect(opaqueRevoked, caller: opaqueClient), "revoked opaque")
            Self.expectInactive(try await flow.introspect("random-token", caller: client), "random")
            Self.expectInactive(try await flow.introspect("custos_at_" + String(repeating: "A", count: 43), caller: client), "random opaque-looking")
            Self.expectInactive(try await flow.introspect("custos_rt_" + String(repeating: "A", count: 43), caller: client), "random refresh-looking")
            Self.expectInactive(try await flow.introspect("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", caller: client), "alg none JWT")
            Self.expectInactive(try await flow.introspect(String(repeating: "x", count: 20_000), caller: client), "20 KB")

            // A forged JWT signed by a key the server does not know.
            let forger = try SigningKey.generate(.ES256)
            var claims = try jwtSegments(revokedAccess).payload
            claims["jti"] = ULID.make()
            let forged = try signedJWT(header: ["alg": "ES256", "kid": forger.kid, "typ": "at+jwt"], payload: claims, key: forger)
            Self.expectInactive(try await flow.introspect(forged, caller: client), "forged JWT")

            let expiring = try await flow.tokens(for: client)
            let access = try #require(expiring["access_token"] as? String)
            let opaqueExpiring = try #require(try await flow.tokens(for: opaqueClient)["access_token"] as? String)
            flow.clock.advance(by: 901)
            Self.expectInactive(try await flow.introspect(access, caller: client), "expired JWT")
            Self.expectInactive(try await flow.introspect(opaqueExpiring, caller: opaqueClient), "expired opaque")
            // The refresh token of the same grant is still active: only the access token expired.
            let refresh = try #require(expiring["refresh_token"] as? String)
            #expect(try await flow.introspect(refresh, caller: client).json()["active"] as? Bool == true)
        }
    }

    @Test("when token_type_hint is wrong then the token is still found", arguments: TestDatabase.all)
    func wrongHint(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["access_token_format": "opaque"])
            let body = try await flow.tokens(for: client)
            let access = try #require(body["access_token"] as? String)
            let refresh = try #require(body["refresh_token"] as? String)
            let jwtClient = try await flow.makeClient(name: "JWT")
            let jwt = try #require(try await flow.tokens(for: jwtClient)["access_token"] as? String)
            for (token, hint) in [(access, "refresh_token"), (refresh, "access_token"), (jwt, "refresh_token"), (jwt, "nonsense")] {
                // The administrator client: `jwt` is another client's token (rule 8).
                let response = try await flow.introspect(token, caller: flow.adminClient, hint: hint)
                #expect(response.status == .ok, "\(hint): \(response.text)")
                #expect(try response.json()["active"] as? Bool == true, "hint \(hint): \(response.text)")
            }
        }
    }

    @Test("when the caller holds an admin bearer token then introspection answers", arguments: TestDatabase.all)
    func adminBearerCaller(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            let adminToken = try await flow.http.adminToken()
            let response = try await flow.introspect(access, bearer: adminToken)
            #expect(response.status == .ok, "\(response.text)")
            let json = try response.json()
            #expect(json["active"] as? Bool == true)
            #expect(json["client_id"] as? String == client.clientID)
            Self.expectInactive(try await flow.introspect("nope", bearer: adminToken), "random via admin bearer")
        }
    }

    @Test(
        "when /internal/oauth/introspect is called then it answers the envelope {code:0, data:{active, client_id, user_id, scope, exp}}",
        arguments: TestDatabase.all
    )
    func internalIntrospection(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: client, scope: "openid email")["access_token"] as? String)
            let adminToken = try await flow.http.adminToken()
            let expiry = try #require(try jwtSegments(access).payload["exp"] as? Int)

            func call(_ token: String, authorization: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let authorization { headers[.authorization] = authorization }
                return try await flow.http.execute(
                    uri: Flow.internalIntrospectPath,
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["token": token]))
                )
            }

            for (name, authorization) in [("admin bearer", "Bearer \(adminToken)"), ("client Basic", client.authorization)] {
                let response = try await call(access, authorization: authorization)
                #expect(response.status == .ok, "\(name): \(response.text)")
                let json = try response.json()
                #expect(json["code"] as? Int == 0, "\(name): \(response.text)")
                let data = try #require(json["data"] as? [String: Any], "\(name): \(response.text)")
                #expect(data["active"] as? Bool == true)
                #expect(data["client_id"] as? String == client.clientID)
                #expect(data["user_id"] as? String == flow.user.id)
                #expect(data["scope"] as? String == "openid email")
                #expect(data["exp"] as? Int == expiry)
            }

            let inactive = try await call("random", authorization: "Bearer \(adminToken)")
            #expect(inactive.status == .ok)
            #expect(try inactive.json()["code"] as? Int == 0)
            #expect(try inactive.data()["active"] as? Bool == false, "\(inactive.text)")

            let anonymous = try await call(access, authorization: nil)
            #expect(anonymous.status == .unauthorized, "\(anonymous.text)")
            #expect(try anonymous.json()["data"] == nil)
        }
    }
}
