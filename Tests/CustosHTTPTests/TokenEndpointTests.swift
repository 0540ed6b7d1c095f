import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CustosCore

@Suite("Token endpoint: client_credentials")
struct TokenEndpointTests {
    typealias Kit = OAuthEndpointKit

    /// A service client allowed openid and profile, authenticating by Basic or by post.
    static func serviceClient(
        _ session: AdminSession,
        methods: [String] = ["client_secret_basic", "client_secret_post"]
    )
        async throws -> CreatedTestClient
    {
        try await session.createServiceClient(overrides(methods: methods))
    }

    static func overrides(methods: [String]) -> [String: Any] {
        ["client_auth_methods": methods, "scopes": ["openid", "profile"]]
    }

    // MARK: Success

    @Test("when a client authenticates with client_secret_basic then it gets a Bearer token that is not cached", arguments: TestDatabase.all)
    func basicSuccess(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials"), ("scope", "openid profile")],
                authorization: Kit.basic(client.clientID, client.secret)
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.init("Pragma")!] == "no-cache")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let body = try response.json()
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == 900)
            #expect(body["scope"] as? String == "openid profile")
            #expect(body["refresh_token"] == nil, "RFC 6749 §4.4.3: no refresh token for client_credentials")
            #expect((body["access_token"] as? String)?.isEmpty == false)
            #expect(body["code"] == nil && body["data"] == nil, "protocol endpoints answer flat JSON, not the envelope")
        }
    }

    @Test("when a client authenticates with client_secret_post then it gets a token", arguments: TestDatabase.all)
    func postSuccess(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session, methods: ["client_secret_post"])
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials"), ("client_id", client.clientID), ("client_secret", client.secret)]
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(try response.json()["token_type"] as? String == "Bearer")
            // No scope asked for: the client's registered scopes are granted.
            #expect(try response.json()["scope"] as? String == "openid profile")
        }
    }

    @Test("when the access token is decoded then it is an RFC 9068 JWT with every required claim", arguments: TestDatabase.all)
    func jwtClaims(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let now = Int(session.server.clock.now.timeIntervalSince1970)
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials"), ("scope", "profile")],
                authorization: Kit.basic(client.clientID, client.secret)
            )
            let token = try #require(try response.json()["access_token"] as? String, "\(response.text)")
            let (header, claims) = try jwtSegments(token)

            #expect(header["typ"] as? String == "at+jwt")
            #expect(header["alg"] as? String == "ES256")
            let kid = try #require(header["kid"] as? String)
            #expect(try await Kit.jwks(session.http).contains { $0["kid"] as? String == kid })

            #expect(claims["iss"] as? String == "http://custos.test")
            #expect(claims["sub"] as? String == client.clientID)
            #expect(claims["client_id"] as? String == client.clientID)
            let audience = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
            #expect(!audience.isEmpty, "aud is required (RFC 9068 §2.2)")
            #expect(claims["scope"] as? String == "profile")
            let jti = try #require(claims["jti"] as? String)
            #expect(!jti.isEmpty)
            let iat = try #require(claims["iat"] as? Int)
            let exp = try #require(claims["exp"] as? Int)
            #expect(exp - iat == 900)
            #expect(abs(iat - now) <= 1)
        }
    }

    @Test("when the access token is verified with the published key then its signature holds", arguments: TestDatabase.all)
    func jwtVerifiesWithPublishedKey(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials")],
                authorization: Kit.basic(client.clientID, client.secret)
            )
            let token = try #require(try response.json()["access_token"] as? String, "\(response.text)")
            let kid = try #require(try jwtSegments(token).header["kid"] as? String)
            let published = try #require(try await Kit.jwks(session.http).first { $0["kid"] as? String == kid })

            // The key the server verifies with is exactly the published one (same public members, and
            // its kid is their RFC 7638 thumbprint), and it verifies the token.
            let keys = session.server.server.keys
            let key = try #require(keys.verificationKey(kid: kid))
            for (member, value) in key.publicMembers {
                #expect(published[member] as? String == value, "published \(member)")
            }
            #expect(VerificationKey.thumbprint(of: Kit.thumbprintMembers(published)) == kid)
            let payload = try JWTVerifier(keys: keys).verify(token, type: "at+jwt")
            #expect(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] != nil)
            // A single flipped bit in the payload breaks it.
            var parts = token.split(separator: ".").map(String.init)
            var claims = try jwtSegments(token).payload
            claims["scope"] = "admin"
            parts[1] = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims))
            #expect(throws: JWTVerifier.Failure.badSignature) { try JWTVerifier(keys: keys).verify(parts.joined(separator: "."), type: "at+jwt") }
        }
    }

    @Test(
        "when the client id and secret contain reserved characters then Basic carries them form-URL-encoded (RFC 6749 §2.3.1)",
        arguments: TestDatabase.all
    )
    func basicFormEncoding(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        let clientID = "svc:one+two %id"
        let secret = "se+cr%et:/=&? \u{E9}x"
        try await Kit.insertClient(server, clientID: clientID, secret: secret)
        try await server.run { http in
            let encoded = try await Kit.post(http, [("grant_type", "client_credentials")], authorization: Kit.basic(clientID, secret))
            #expect(encoded.status == .ok, "\(encoded.text)")
            let claims = try jwtSegments(try #require(try encoded.json()["access_token"] as? String)).payload
            #expect(claims["client_id"] as? String == clientID)

            // The same credentials in the body (client_secret_post) are form-decoded the same way.
            let posted = try await Kit.post(
                http,
                [("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", secret)]
            )
            #expect(posted.status == .ok, "\(posted.text)")
        }
    }

    @Test("when Basic credentials are sent without form encoding then + is read as a space and the secret fails", arguments: TestDatabase.all)
    func basicRawPlusFails(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await Kit.insertClient(server, clientID: "svc-plus", secret: "a+b+c-0123456789abcdefghijklmnopqrstuvwxyz")
        try await server.run { http in
            let raw = try await Kit.post(
                http,
                [("grant_type", "client_credentials")],
                authorization: Kit.rawBasic("svc-plus", "a+b+c-0123456789abcdefghijklmnopqrstuvwxyz")
            )
            #expect(raw.status == .unauthorized)
            #expect(Kit.error(raw) == "invalid_client")
            let encoded = try await Kit.post(
                http,
                [("grant_type", "client_credentials")],
                authorization: Kit.basic("svc-plus", "a+b+c-0123456789abcdefghijklmnopqrstuvwxyz")
            )
            #expect(encoded.status == .ok, "\(encoded.text)")
        }
    }

    // MARK: Client authentication failures

    @Test("when both Basic and client_secret are sent then it is 400 invalid_request", arguments: TestDatabase.all)
    func bothMethods(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials"), ("client_id", client.clientID), ("client_secret", client.secret)],
                authorization: Kit.basic(client.clientID, client.secret)
            )
            #expect(response.status == .badRequest)
            #expect(Kit.error(response) == "invalid_request")
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test("when the secret is wrong with Basic then it is 401 invalid_client with WWW-Authenticate Basic", arguments: TestDatabase.all)
    func wrongSecretBasic(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials")],
                authorization: Kit.basic(client.clientID, client.secret + "x")
            )
            #expect(response.status == .unauthorized)
            #expect(Kit.error(response) == "invalid_client")
            #expect(response.headers[.wwwAuthenticate]?.lowercased().hasPrefix("basic") == true)
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test("when the secret is wrong with client_secret_post then it is 401 invalid_client", arguments: TestDatabase.all)
    func wrongSecretPost(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials"), ("client_id", client.clientID), ("client_secret", String(client.secret.dropLast()))]
            )
            #expect(response.status == .unauthorized)
            #expect(Kit.error(response) == "invalid_client")
        }
    }

    @Test("when the client is unknown then it is 401 invalid_client, by Basic and by post alike", arguments: TestDatabase.all)
    func unknownClient(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let basic = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials")],
                authorization: Kit.basic("cl_nobody", "custos_cs_whatever")
            )
            #expect(basic.status == .unauthorized)
            #expect(Kit.error(basic) == "invalid_client")
            #expect(basic.headers[.wwwAuthenticate]?.lowercased().hasPrefix("basic") == true)
            let post = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials"), ("client_id", "cl_nobody"), ("client_secret", "x")]
            )
            #expect(post.status == .unauthorized)
            #expect(Kit.error(post) == "invalid_client")
        }
    }

    @Test("when no client authentication is sent then it is 401 invalid_client", arguments: TestDatabase.all)
    func noAuthentication(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let none = try await Kit.post(session.http, [("grant_type", "client_credentials")])
            #expect(none.status == .unauthorized)
            #expect(Kit.error(none) == "invalid_client")
            let idOnly = try await Kit.post(session.http, [("grant_type", "client_credentials"), ("client_id", client.clientID)])
            #expect(idOnly.status == .unauthorized)
            #expect(Kit.error(idOnly) == "invalid_client")
        }
    }

    @Test("when a client uses a method it did not register then it is 401 invalid_client", arguments: TestDatabase.all)
    func unregisteredMethod(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let postOnly = try await Self.serviceClient(session, methods: ["client_secret_post"])
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials")],
                authorization: Kit.basic(postOnly.clientID, postOnly.secret)
            )
            #expect(response.status == .unauthorized)
            #expect(Kit.error(response) == "invalid_client")
        }
    }

    @Test("when the Authorization header is not Basic or is malformed then it is 401 invalid_client", arguments: TestDatabase.all)
    func malformedAuthorization(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            for header in ["Bearer abc", "Basic", "Basic !!!not-base64!!!", "Basic " + Data("no-colon".utf8).base64EncodedString()] {
                let response = try await Kit.post(session.http, [("grant_type", "client_credentials")], authorization: header)
                #expect(response.status == .unauthorized, "\(header): \(response.text)")
                #expect(Kit.error(response) == "invalid_client", "\(header)")
            }
        }
    }

    @Test("when a client is suspended then it gets no token", arguments: TestDatabase.all)
    func suspendedClient(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let update = try await session.call(.put, "/oauth/clients/\(client.clientID)", json: ["status": "suspended"])
            try #require(update.status == .ok, "\(update.text)")
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials")],
                authorization: Kit.basic(client.clientID, client.secret)
            )
            #expect(response.status == .unauthorized)
            #expect(Kit.error(response) == "invalid_client")
        }
    }

    // MARK: Request format

    @Test("when a parameter is repeated then it is 400 invalid_request", arguments: TestDatabase.all)
    func repeatedParameter(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            for fields in [
                [("grant_type", "client_credentials"), ("grant_type", "client_credentials")],
                [("grant_type", "client_credentials"), ("scope", "openid"), ("scope", "profile")],
            ] {
                let response = try await Kit.post(session.http, fields, authorization: Kit.basic(client.clientID, client.secret))
                #expect(response.status == .badRequest, "\(fields): \(response.text)")
                #expect(Kit.error(response) == "invalid_request")
            }
            let repeatedID = try await Kit.post(
                session.http,
                [
                    ("grant_type", "client_credentials"), ("client_id", client.clientID), ("client_id", client.clientID),
                    ("client_secret", client.secret),
                ]
            )
            #expect(repeatedID.status == .badRequest)
            #expect(Kit.error(repeatedID) == "invalid_request")
        }
    }

    @Test(
        "when a parameter has no value then it counts as omitted, and unknown parameters are ignored (RFC 6749 §3.1, §3.2)",
        arguments: TestDatabase.all
    )
    func emptyAndUnknownParameters(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let response = try await Kit.post(
                session.http,
                body: "grant_type=client_credentials&scope=&foo=bar&audience=x",
                authorization: Kit.basic(client.clientID, client.secret)
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["scope"] as? String == "openid profile")
        }
    }

    @Test("when the body client_id differs from the Basic one then it is 400 invalid_request; the same one is fine", arguments: TestDatabase.all)
    func bodyClientIDMismatch(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let other = try await Self.serviceClient(session)
            let authorization = Kit.basic(client.clientID, client.secret)
            let mismatch = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials"), ("client_id", other.clientID)],
                authorization: authorization
            )
            #expect(mismatch.status == .badRequest)
            #expect(Kit.error(mismatch) == "invalid_request")
            let same = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials"), ("client_id", client.clientID)],
                authorization: authorization
            )
            #expect(same.status == .ok, "\(same.text)")
        }
    }

    @Test("when the body is larger than the limit then it is 413 with an OAuth error body", arguments: TestDatabase.all)
    func oversizedBody(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let body = "grant_type=client_credentials&padding=" + String(repeating: "a", count: 1 << 20)
            let response = try await Kit.post(session.http, body: body, authorization: Kit.basic(client.clientID, client.secret))
            #expect(response.status == .contentTooLarge)
            #expect(Kit.error(response) == "invalid_request")
        }
    }

    @Test("when the body is not application/x-www-form-urlencoded then it is 400 invalid_request", arguments: TestDatabase.all)
    func wrongContentType(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let authorization = Kit.basic(client.clientID, client.secret)
            let json = try await Kit.post(
                session.http,
                body: "{\"grant_type\":\"client_credentials\"}",
                authorization: authorization,
                contentType: "application/json"
            )
            #expect(json.status == .badRequest)
            #expect(Kit.error(json) == "invalid_request")
            let missing = try await Kit.post(session.http, body: "grant_type=client_credentials", authorization: authorization, contentType: nil)
            #expect(missing.status == .badRequest)
            #expect(Kit.error(missing) == "invalid_request")
            let text = try await Kit.post(
                session.http,
                body: "grant_type=client_credentials",
                authorization: authorization,
                contentType: "text/plain"
            )
            #expect(text.status == .badRequest)
            // Parameters of the media type are allowed.
            let withCharset = try await Kit.post(
                session.http,
                body: "grant_type=client_credentials",
                authorization: authorization,
                contentType: "application/x-www-form-urlencoded; charset=UTF-8"
            )
            #expect(withCharset.status == .ok, "\(withCharset.text)")
        }
    }

    @Test("when grant_type is missing then it is 400 invalid_request; when unknown, 400 unsupported_grant_type", arguments: TestDatabase.all)
    func grantType(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let authorization = Kit.basic(client.clientID, client.secret)
            let missing = try await Kit.post(session.http, [("scope", "openid")], authorization: authorization)
            #expect(missing.status == .badRequest)
            #expect(Kit.error(missing) == "invalid_request")
            for grant in ["password", "implicit", "urn:example:unknown", "CLIENT_CREDENTIALS"] {
                let response = try await Kit.post(session.http, [("grant_type", grant)], authorization: authorization)
                #expect(response.status == .badRequest, "\(grant)")
                #expect(Kit.error(response) == "unsupported_grant_type", "\(grant): \(response.text)")
            }
        }
    }

    @Test("when a client without the client_credentials grant asks for it then it is 400 unauthorized_client", arguments: TestDatabase.all)
    func unauthorizedClient(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let data = try await session.create(clientBody(["grant_types": ["authorization_code", "refresh_token"]]))
            let clientID = try #require(data["client_id"] as? String)
            let secret = try #require(data["client_secret"] as? String)
            let response = try await Kit.post(session.http, [("grant_type", "client_credentials")], authorization: Kit.basic(clientID, secret))
            #expect(response.status == .badRequest)
            #expect(Kit.error(response) == "unauthorized_client")
        }
    }

    @Test("when a scope beyond the client's is asked for then it is 400 invalid_scope and no token is issued", arguments: TestDatabase.all)
    func invalidScope(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let authorization = Kit.basic(client.clientID, client.secret)
            for scope in ["email", "openid email", "admin", "openid \"quoted\""] {
                let response = try await Kit.post(
                    session.http,
                    [("grant_type", "client_credentials"), ("scope", scope)],
                    authorization: authorization
                )
                #expect(response.status == .badRequest, "\(scope): \(response.text)")
                #expect(Kit.error(response) == "invalid_scope", "\(scope)")
                #expect(try response.json()["access_token"] == nil)
            }
            let tokens = try await session.call(.get, "/oauth/clients/\(client.clientID)/tokens")
            if tokens.status == .ok {
                #expect(try tokens.json()["total"] as? Int == 0, "a refused request recorded a token: \(tokens.text)")
            }
        }
    }

    @Test("when tokens are issued then neither the secret nor the token reaches the log", arguments: TestDatabase.all)
    func nothingSecretLogged(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await Self.serviceClient(session)
            let response = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials")],
                authorization: Kit.basic(client.clientID, client.secret)
            )
            let token = try #require(try response.json()["access_token"] as? String)
            _ = try await Kit.post(
                session.http,
                [("grant_type", "client_credentials")],
                authorization: Kit.basic(client.clientID, "wrong-secret-value")
            )
            let log = session.server.logs.text
            #expect(!log.contains(client.secret))
            #expect(!log.contains(token))
            #expect(!log.contains(String(token.split(separator: ".")[2])))
            #expect(!log.contains("wrong-secret-value"))
        }
    }
}
