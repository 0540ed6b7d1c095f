import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /admin/oauth/clients`: the founding contract (seed-create-client.md), its defaults and
/// the secret it returns once.
@Suite("Admin API: create client")
struct AdminClientCreateTests {
    @Test(
        "when an admin creates a client then the answer is 201, code 0 and data has exactly the 18 CreateClientResponse fields",
        arguments: TestDatabase.all
    )
    func createResponseShape(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let response = try await admin.call(.post, "/oauth/clients", json: clientBody(["name": "My Application"]))
            #expect(response.status == .created, "\(response.text)")
            let json = try response.json()
            #expect(json["code"] as? Int == 0)
            #expect((json["message"] as? String)?.isEmpty == false)
            let data = try response.data()
            #expect(Set(data.keys) == createClientResponseFields, "members: \(data.keys.sorted())")
            #expect(data.count == 18)
            #expect(isULID(data["id"] as? String ?? ""), "id \(data["id"] ?? "nil") is not a ULID")
            #expect((data["client_id"] as? String)?.isEmpty == false)
            #expect(data["name"] as? String == "My Application")
            #expect(data["redirect_uris"] as? [String] == ["https://app.example.com/cb"])
        }
    }

    @Test("when optional fields are omitted then the documented defaults are stored and returned", arguments: TestDatabase.all)
    func defaults(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let data = try await admin.create(clientBody())
            #expect(data["is_confidential"] as? Bool == true)
            #expect(data["grant_types"] as? [String] == ["authorization_code", "refresh_token"])
            #expect(data["client_auth_methods"] as? [String] == ["client_secret_basic"])
            #expect(data["scopes"] as? [String] == ["openid"])
            #expect(data["status"] as? String == "active")
            #expect(data["fapi_profile"] as? String == "")
            #expect(data["cors_origins"] as? [String] == ["https://app.example.com"])
            for field in ["jwks", "jwks_uri", "logo_url", "privacy_policy", "terms_url", "website"] {
                #expect(data[field] as? String == "", "\(field) should be empty when not sent")
            }
            // The stored client, read back, has the same defaults.
            let stored = try await admin.client(try #require(data["client_id"] as? String))
            #expect(stored["is_confidential"] as? Bool == true)
            #expect(stored["grant_types"] as? [String] == ["authorization_code", "refresh_token"])
            #expect(stored["client_auth_methods"] as? [String] == ["client_secret_basic"])
            #expect(stored["scopes"] as? [String] == ["openid"])
            #expect(stored["status"] as? String == "active")
        }
    }

    @Test("when a public client is created then it authenticates with none and gets an empty client_secret", arguments: TestDatabase.all)
    func publicClientDefaults(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let data = try await admin.create(clientBody(["is_confidential": false]))
            #expect(data["is_confidential"] as? Bool == false)
            #expect(data["client_auth_methods"] as? [String] == ["none"])
            #expect(data["client_secret"] as? String == "")
            let stored = try await admin.client(try #require(data["client_id"] as? String))
            #expect(stored["secret_last_four"] as? String ?? "" == "", "a public client has no secret to show")
        }
    }

    @Test("when redirect URIs share origins then cors_origins holds each origin once", arguments: TestDatabase.all)
    func corsOriginsDerived(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.allowsLoopbackHTTPRedirects = true }) { admin in
            let data = try await admin.create(
                clientBody([
                    "redirect_uris": [
                        "https://app.example.com/cb", "https://app.example.com/other?x=1", "https://api.example.com:8443/cb",
                        "https://api.example.com:8443/two", "http://127.0.0.1:9000/cb",
                    ]
                ])
            )
            let origins = try #require(data["cors_origins"] as? [String])
            #expect(origins.count == 3, "\(origins)")
            #expect(Set(origins) == ["https://app.example.com", "https://api.example.com:8443", "http://127.0.0.1:9000"])
        }
    }

    @Test(
        "when cors_origins is sent at creation then it is not taken: the origins are derived from redirect_uris or the request is refused",
        arguments: TestDatabase.all
    )
    func corsOriginsNotSettableAtCreate(database: TestDatabase) async throws {
        // seed-create-client.md: cors_origins "appears only in the response: the server derives
        // it (from the origins of the redirect URIs, deduplicated), and an update may set it."
        try await withAdmin(database) { admin in
            let before = try await admin.clientTotal()
            let response = try await admin.call(
                .post,
                "/oauth/clients",
                json: clientBody(["cors_origins": ["https://evil.example"]])
            )
            if response.status == .created {
                let data = try response.data()
                #expect(
                    data["cors_origins"] as? [String] == ["https://app.example.com"],
                    "cors_origins taken from the request: \(data["cors_origins"] ?? "nil")"
                )
                let stored = try await admin.client(try #require(data["client_id"] as? String))
                #expect(stored["cors_origins"] as? [String] == ["https://app.example.com"])
            } else {
                expectSimpleError(response, .badRequest, naming: ["cors_origins"], "cors_origins at creation")
                #expect(try await admin.clientTotal() == before)
            }
        }
    }

    @Test(
        "when a confidential client is created then its secret is custos_cs_ followed by at least 43 base64url characters and works",
        arguments: TestDatabase.all
    )
    func secretFormat(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let first = try await admin.createServiceClient(name: "One")
            let second = try await admin.createServiceClient(name: "Two")
            for secret in [first.secret, second.secret] {
                #expect(secret.hasPrefix("custos_cs_"), "\(secret.prefix(12))…")
                let random = secret.dropFirst("custos_cs_".count)
                #expect(random.count >= 43, "256 bits need at least 43 base64url characters, got \(random.count)")
                #expect(Base64URL.decode(random).map { $0.count >= 32 } == true, "the random part is not 256-bit base64url")
            }
            #expect(first.secret != second.secret)
            #expect(first.clientID != second.clientID)
            try await admin.expectTokenIssued(first.clientID, first.secret, "the returned secret authenticates the client")
        }
    }

    @Test("when a client is created then the response carrying its secret has Cache-Control no-store", arguments: TestDatabase.all)
    func noStore(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let response = try await admin.call(.post, "/oauth/clients", json: clientBody())
            #expect(response.status == .created)
            #expect(response.headers[.cacheControl]?.contains("no-store") == true, "\(response.headers)")
        }
    }

    @Test("when every optional field is supplied then each is stored and returned as sent", arguments: TestDatabase.all)
    func allFieldsRoundTrip(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let body = clientBody([
                "name": "Full", "is_confidential": true, "grant_types": ["authorization_code", "client_credentials"],
                "client_auth_methods": ["client_secret_basic", "client_secret_post"], "scopes": ["openid", "profile", "email"],
                "jwks_uri": "https://app.example.com/.well-known/jwks.json", "logo_url": "https://app.example.com/logo.png",
                "website": "https://app.example.com", "terms_url": "https://app.example.com/terms",
                "privacy_policy": "https://app.example.com/privacy",
            ])
            let data = try await admin.create(body)
            let stored = try await admin.client(try #require(data["client_id"] as? String))
            for view in [data, stored] {
                #expect(view["grant_types"] as? [String] == ["authorization_code", "client_credentials"])
                #expect(view["client_auth_methods"] as? [String] == ["client_secret_basic", "client_secret_post"])
                #expect(view["scopes"] as? [String] == ["openid", "profile", "email"])
                for field in ["jwks_uri", "logo_url", "website", "terms_url", "privacy_policy"] {
                    #expect(view[field] as? String == body[field] as? String, "\(field)")
                }
            }
        }
    }

    @Test("when a FAPI 2.0 client registers private_key_jwt with public keys then it is created without a secret", arguments: TestDatabase.all)
    func fapiClient(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let data = try await admin.create(
                clientBody(["fapi_profile": "fapi2", "client_auth_methods": ["private_key_jwt"], "jwks": SampleKeys.validJWKS])
            )
            #expect(data["fapi_profile"] as? String == "fapi2")
            #expect(data["client_auth_methods"] as? [String] == ["private_key_jwt"])
            #expect(data["client_secret"] as? String == "", "private_key_jwt uses no shared secret")
            #expect(data["jwks"] as? String == SampleKeys.validJWKS)
        }
    }
}

/// Who may call the admin API (issue 2, item 5; security case A21): 401 for a missing, malformed,
/// unsigned, tampered or expired token, 403 for a valid token without the `admin` scope.
@Suite("Admin API: authentication")
struct AdminClientAuthenticationTests {
    /// A 401 refusal: `WWW-Authenticate: Bearer`, a SimpleResponse, and nothing stored.
    private func expectUnauthenticated(
        _ admin: AdminSession,
        token: String?,
        _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try await admin.clientTotal()
        let response = try await admin.http.admin(.post, "/oauth/clients", token: token, json: clientBody())
        expectSimpleError(response, .unauthorized, comment, sourceLocation: sourceLocation)
        #expect(
            response.headers[.wwwAuthenticate]?.lowercased().hasPrefix("bearer") == true,
            "\(comment): WWW-Authenticate \(response.headers[.wwwAuthenticate] ?? "missing")",
            sourceLocation: sourceLocation
        )
        #expect(try await admin.clientTotal() == before, "\(comment): an unauthenticated request stored a client")
    }

    @Test("when no bearer token is sent then the answer is 401 with WWW-Authenticate Bearer and code 401", arguments: TestDatabase.all)
    func missingToken(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            try await expectUnauthenticated(admin, token: nil, "no token")
            // A list request without a token discloses no client either.
            let list = try await admin.http.admin(.get, "/oauth/clients", token: nil)
            expectSimpleError(list, .unauthorized, "list without token")
        }
    }

    @Test("when the bearer token is garbage then the answer is 401", arguments: TestDatabase.all)
    func garbageToken(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for token in ["garbage", "a.b.c", "eyJhbGciOiJFUzI1NiJ9.e30.", String(repeating: "x", count: 20_000)] {
                try await expectUnauthenticated(admin, token: token, "token \(token.prefix(30))")
            }
            // The admin's credentials under another scheme are no bearer token.
            let basic = Data("\(TestServer.adminClientID):\(TestServer.adminClientSecret)".utf8).base64EncodedString()
            let response = try await admin.http.execute(
                uri: "/api/v1/admin/oauth/clients",
                method: .get,
                headers: [.authorization: "Basic \(basic)"],
                body: nil
            )
            expectSimpleError(response, .unauthorized, "Basic credentials")
        }
    }

    @Test("when a token claims alg none with an empty signature then the answer is 401", arguments: TestDatabase.all)
    func algNone(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let parts = admin.token.split(separator: ".")
            let realKid = try jwtSegments(admin.token).header["kid"] as? String ?? ""
            let headers = [
                #"{"alg":"none","typ":"at+jwt"}"#,
                #"{"alg":"none","kid":"\#(realKid)","typ":"at+jwt"}"#,
                #"{"alg":"NONE","kid":"\#(realKid)","typ":"at+jwt"}"#,
            ]
            for header in headers {
                // The payload is a real admin token's: only the signature is missing.
                let forged = Base64URL.encode(Array(header.utf8)) + "." + parts[1] + "."
                try await expectUnauthenticated(admin, token: forged, "alg none header \(header)")
            }
        }
    }

    @Test("when a valid admin token's signature or payload is altered then the answer is 401", arguments: TestDatabase.all)
    func alteredSignature(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let parts = admin.token.split(separator: ".").map(String.init)
            try #require(parts.count == 3)
            // Flip the first signature character (it carries six significant bits).
            var signature = Array(parts[2])
            signature[0] = signature[0] == "A" ? "B" : "A"
            try await expectUnauthenticated(admin, token: parts[0] + "." + parts[1] + "." + String(signature), "altered signature")
            // A payload changed to another subject under the original signature.
            var payload = try jwtSegments(admin.token).payload
            payload["client_id"] = "someone-else"
            let forgedPayload = Base64URL.encode(try JSONSerialization.data(withJSONObject: payload))
            try await expectUnauthenticated(admin, token: parts[0] + "." + forgedPayload + "." + parts[2], "altered payload")
            // The unaltered token still works: the refusals above are due to the changes.
            let response = try await admin.call(.get, "/oauth/clients")
            #expect(response.status == .ok)
        }
    }

    @Test("when the admin token has expired then the answer is 401", arguments: TestDatabase.all)
    func expiredToken(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            #expect(try await admin.call(.get, "/oauth/clients").status == .ok, "the token works before it expires")
            admin.server.clock.advance(by: 16 * 60)  // 15-minute lifetime plus more than the 10 s leeway
            let response = try await admin.call(.get, "/oauth/clients")
            expectSimpleError(response, .unauthorized, "expired token")
            #expect(response.headers[.wwwAuthenticate]?.lowercased().hasPrefix("bearer") == true)
            // A new token from the same client works again.
            let fresh = try await admin.withFreshToken()
            #expect(try await fresh.call(.get, "/oauth/clients").status == .ok)
        }
    }

    @Test("when a valid token lacks the admin scope then the answer is 403 with no client data", arguments: TestDatabase.all)
    func nonAdminToken(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let token = try await admin.http.clientCredentialsToken(clientID: service.clientID, secret: service.secret)
            let before = try await admin.clientTotal()
            let create = try await admin.http.admin(.post, "/oauth/clients", token: token, json: clientBody())
            expectSimpleError(create, .forbidden, "create with a non-admin token")
            let list = try await admin.http.admin(.get, "/oauth/clients", token: token)
            expectSimpleError(list, .forbidden, "list with a non-admin token")
            #expect(!list.text.contains(service.clientID), "a 403 body leaked client data")
            let get = try await admin.http.admin(.get, "/oauth/clients/\(service.clientID)", token: token)
            expectSimpleError(get, .forbidden, "get with a non-admin token")
            #expect(try await admin.clientTotal() == before)
        }
    }
}
