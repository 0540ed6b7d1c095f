import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The UserInfo endpoint (OpenID Connect Core §5.3, §5.4; RFC 6750): claims by scope, the
/// token's transports, the `WWW-Authenticate` errors, signed responses and CORS.
@Suite("OpenID: userinfo")
struct UserInfoTests {
    @Test("when the token has openid and profile then userinfo returns sub and the profile claims, and no email claims", arguments: TestDatabase.all)
    func profileScope(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let (_, idToken, access) = try await openID.idToken(for: client, scope: "openid profile")
            let response = try await openID.userInfo(bearer: access)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let claims = try response.json()
            #expect(claims["sub"] as? String == idToken.claims["sub"] as? String, "sub must equal the ID token's (Core §5.3.2)")
            #expect(claims["sub"] as? String == openID.user.id)
            #expect(claims["name"] as? String == OpenID.userName)
            #expect(claims["preferred_username"] as? String == "alice")
            #expect(claims["updated_at"] is Int, "\(claims)")
            #expect(claims["email"] == nil && claims["email_verified"] == nil, "email claims without the email scope: \(claims)")
        }
    }

    @Test("when the token has openid and email then userinfo returns email and email_verified, and no profile claims", arguments: TestDatabase.all)
    func emailScope(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let access = try #require(try await openID.tokenResponse(for: client, scope: "openid email")["access_token"] as? String)
            let response = try await openID.userInfo(bearer: access)
            #expect(response.status == .ok, "\(response.text)")
            let claims = try response.json()
            #expect(claims["sub"] as? String == openID.user.id)
            #expect(claims["email"] as? String == "alice@example.com")
            #expect(claims["email_verified"] as? Bool == false, "\(claims)")
            #expect(claims["name"] == nil && claims["preferred_username"] == nil, "profile claims without the profile scope: \(claims)")
        }
    }

    @Test("when the token has only openid then userinfo returns sub alone", arguments: TestDatabase.all)
    func openIDOnly(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let access = try #require(try await openID.tokenResponse(for: client, scope: "openid")["access_token"] as? String)
            let claims = try await openID.userInfo(bearer: access).json()
            #expect(Set(claims.keys) == ["sub"], "\(claims)")
        }
    }

    @Test("when the token is sent as access_token in a form-encoded POST body then userinfo answers with the claims", arguments: TestDatabase.all)
    func formBodyToken(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let access = try #require(try await openID.tokenResponse(for: client, scope: "openid profile")["access_token"] as? String)
            let response = try await openID.userInfoPost(formToken: access)
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["sub"] as? String == openID.user.id)
            #expect(try response.json()["name"] as? String == OpenID.userName)
        }
    }

    @Test("when the header is used with POST then userinfo answers as for GET", arguments: TestDatabase.all)
    func postWithHeader(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let access = try #require(try await openID.tokenResponse(for: client, scope: "openid")["access_token"] as? String)
            let response = try await openID.http.execute(
                uri: OpenID.userInfoPath,
                method: .post,
                headers: [.authorization: "Bearer \(access)"],
                body: nil
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["sub"] as? String == openID.user.id)
        }
    }

    @Test(
        "when the token is sent in the query string then the answer is 400 invalid_request with WWW-Authenticate and no claims",
        arguments: TestDatabase.all
    )
    func queryTokenRefused(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let access = try #require(try await openID.tokenResponse(for: client)["access_token"] as? String)
            let response = try await openID.userInfo(bearer: nil, query: "?access_token=\(FormEncoding.escape(access))")
            expectBearerChallenge(response, .badRequest, error: "invalid_request", "token in the query")
            // Not even together with a valid header.
            let both = try await openID.userInfo(bearer: access, query: "?access_token=\(FormEncoding.escape(access))")
            expectBearerChallenge(both, .badRequest, error: "invalid_request", "token in the query and the header")
        }
    }

    @Test("when no token is sent then the answer is 401 with WWW-Authenticate Bearer", arguments: TestDatabase.all)
    func noToken(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let response = try await openID.userInfo(bearer: nil)
            expectBearerChallenge(response, .unauthorized, error: nil, "no token")
            expectBearerChallenge(try await openID.userInfo(bearer: "garbage"), .unauthorized, error: "invalid_token", "garbage")
        }
    }

    @Test("when the token has expired then the answer is 401 invalid_token with WWW-Authenticate Bearer", arguments: TestDatabase.all)
    func expiredToken(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let access = try #require(try await openID.tokenResponse(for: client)["access_token"] as? String)
            #expect(try await openID.userInfo(bearer: access).status == .ok)
            openID.clock.advance(by: 901)
            expectBearerChallenge(try await openID.userInfo(bearer: access), .unauthorized, error: "invalid_token", "expired")
        }
    }

    @Test("when the token has been revoked then the answer is 401 invalid_token with WWW-Authenticate Bearer", arguments: TestDatabase.all)
    func revokedToken(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let access = try #require(try await openID.tokenResponse(for: client)["access_token"] as? String)
            #expect(try await openID.userInfo(bearer: access).status == .ok)
            let revoked = try await openID.flow.revoke(access, client: client)
            #expect(revoked.status == .ok, "\(revoked.text)")
            expectBearerChallenge(try await openID.userInfo(bearer: access), .unauthorized, error: "invalid_token", "revoked")
            expectBearerChallenge(try await openID.userInfoPost(formToken: access), .unauthorized, error: "invalid_token", "revoked, in the body")
        }
    }

    @Test("when the token lacks the openid scope then the answer is 403 insufficient_scope with WWW-Authenticate", arguments: TestDatabase.all)
    func withoutOpenID(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let access = try #require(try await openID.tokenResponse(for: client, scope: "profile email")["access_token"] as? String)
            expectBearerChallenge(try await openID.userInfo(bearer: access), .forbidden, error: "insufficient_scope", "no openid scope")
        }
    }

    @Test("when a client_credentials token (no user) is presented then userinfo refuses it", arguments: TestDatabase.all)
    func machineToken(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let token = try await openID.http.adminToken()
            let response = try await openID.userInfo(bearer: token)
            #expect(response.status == .forbidden || response.status == .unauthorized, "\(response.status)")
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(!response.text.contains("\"sub\""), "\(response.text)")
        }
    }

    @Test(
        "when the client registered userinfo_signed_response_alg then userinfo is an application/jwt signed with it, carrying iss, aud and the claims",
        arguments: TestDatabase.all
    )
    func signedUserInfo(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let registered = try await Registration.register(openID.http, ["userinfo_signed_response_alg": "ES256"])
            let (_, idToken, access) = try await openID.idToken(for: registered.flowClient, scope: "openid profile email")
            let response = try await openID.userInfo(bearer: access)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.contentType]?.hasPrefix("application/jwt") == true, "\(response.headers[.contentType] ?? "none")")
            let jwt = try verifyJWT(response.text.trimmingCharacters(in: .whitespacesAndNewlines), keys: openID.keys)
            #expect(jwt.header["alg"] as? String == "ES256")
            #expect(try await openID.publishedKeys()[jwt.header["kid"] as? String ?? ""] != nil, "kid not in the JWKS")
            // Core §5.3.2: a signed response SHOULD contain iss and aud.
            #expect(jwt.claims["iss"] as? String == Flow.issuer)
            let audience = (jwt.claims["aud"] as? String).map { [$0] } ?? (jwt.claims["aud"] as? [String] ?? [])
            #expect(audience == [registered.clientID])
            #expect(jwt.claims["sub"] as? String == idToken.claims["sub"] as? String)
            #expect(jwt.claims["name"] as? String == OpenID.userName)
            #expect(jwt.claims["email"] as? String == "alice@example.com")
        }
    }

    @Test("when a client did not register userinfo_signed_response_alg then userinfo is plain JSON", arguments: TestDatabase.all)
    func unsignedByDefault(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let registered = try await Registration.register(openID.http)
            let access = try #require(try await openID.tokenResponse(for: registered.flowClient, scope: "openid")["access_token"] as? String)
            let response = try await openID.userInfo(bearer: access)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try response.json()["sub"] as? String == openID.user.id)
        }
    }

    @Test(
        "when the request comes from the client's own origin then Access-Control-Allow-Origin names it; from another origin it is absent",
        arguments: TestDatabase.all
    )
    func cors(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()  // redirect URI on https://app.example.com
            let access = try #require(try await openID.tokenResponse(for: client, scope: "openid")["access_token"] as? String)
            let own = try await openID.userInfo(bearer: access, headers: [.origin: "https://app.example.com"])
            #expect(own.status == .ok)
            #expect(own.headers[.accessControlAllowOrigin] == "https://app.example.com")
            let foreign = try await openID.userInfo(bearer: access, headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .ok)
            #expect(foreign.headers[.accessControlAllowOrigin] == nil, "\(foreign.headers[.accessControlAllowOrigin] ?? "")")
            let none = try await openID.userInfo(bearer: access)
            #expect(none.headers[.accessControlAllowOrigin] == nil)
        }
    }
}
