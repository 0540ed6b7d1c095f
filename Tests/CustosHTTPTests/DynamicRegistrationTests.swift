import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Dynamic client registration (RFC 7591), its management protocol (RFC 7592) and the
/// OpenID Connect Registration metadata: the 201 document, the errors, the registration
/// access token, replacement, deletion, the per-address rate and the admin API's view.
@Suite("OpenID: dynamic client registration")
struct DynamicRegistrationTests {
    /// Metadata for a client that can also use client_credentials, so its secret can be tried.
    static var machineCapable: [String: Any] { ["grant_types": ["authorization_code", "client_credentials"]] }

    /// An administrator's registration token whose registrations may use client_credentials
    /// (open registration allows only the browser grants, rule 3).
    static func machineToken(_ admin: AdminSession) async throws -> String {
        let response = try await admin.call(
            .post,
            "/oauth/registration-tokens",
            json: ["grant_types": ["authorization_code", "refresh_token", "client_credentials"]]
        )
        try #require(response.status == .created, "\(response.text)")
        return try #require(try response.data()["token"] as? String)
    }

    /// Whether the admin API's client list holds `clientID`.
    static func adminListContains(_ admin: AdminSession, _ clientID: String) async throws -> Bool {
        let response = try await admin.call(.get, "/oauth/clients?page_size=100")
        try #require(response.status == .ok, "\(response.text)")
        let items = try #require(try response.json()["items"] as? [[String: Any]])
        return items.contains { $0["client_id"] as? String == clientID }
    }

    @Test(
        "when a client registers then the answer is 201 with client_id, client_secret, registration_access_token, registration_client_uri and client_id_issued_at",
        arguments: TestDatabase.all
    )
    func created(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let response = try await Registration.post(
                admin.http,
                Registration.metadata([
                    "client_uri": "https://app.example.com", "contacts": ["ops@example.com"], "software_id": "4NRB1-0XZABZI9E6-5SM3R",
                ])
            )
            #expect(response.status == .created, "\(response.text)")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(response.headers[.cacheControl] == "no-store", "the answer carries credentials")
            let body = try response.json()
            let clientID = try #require(body["client_id"] as? String)
            #expect(!clientID.isEmpty)
            #expect((body["client_secret"] as? String)?.count ?? 0 >= 32, "\(body)")
            #expect(body["client_secret_expires_at"] as? Int == 0, "RFC 7591 §3.2.1: required with a secret; 0 = never")
            #expect((body["registration_access_token"] as? String)?.count ?? 0 >= 32)
            #expect(body["registration_client_uri"] as? String == Flow.issuer + OpenID.registerPath + "/" + clientID)
            let issuedAt = try #require(body["client_id_issued_at"] as? Int)
            #expect(abs(issuedAt - Int(admin.server.clock.now.timeIntervalSince1970)) <= 1)
            // The registered metadata is echoed (§3.2.1).
            #expect(body["client_name"] as? String == "Dynamic App")
            #expect(body["redirect_uris"] as? [String] == [Flow.redirectURI])
            #expect(body["grant_types"] as? [String] == ["authorization_code"])
            #expect(body["token_endpoint_auth_method"] as? String == "client_secret_basic")
            #expect(body["client_uri"] as? String == "https://app.example.com")
            #expect(body["contacts"] as? [String] == ["ops@example.com"])
            #expect(body["software_id"] as? String == "4NRB1-0XZABZI9E6-5SM3R")
            #expect(body["registration_access_token_digest"] == nil, "internal state leaked: \(body)")
        }
    }

    @Test("when a client registers then it appears in the admin API like any other client", arguments: TestDatabase.all)
    func visibleToAdmin(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let registered = try await Registration.register(admin.http, ["client_name": "Registered Photo App"])
            #expect(try await Self.adminListContains(admin, registered.clientID))
            let data = try await admin.client(registered.clientID)
            #expect(data["name"] as? String == "Registered Photo App")
            #expect(data["redirect_uris"] as? [String] == [Flow.redirectURI])
        }
    }

    @Test("when a registered client uses its credentials then the code flow works end to end", arguments: TestDatabase.all)
    func registeredClientWorks(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let registered = try await Registration.register(openID.http)
            let (_, token, _) = try await openID.idToken(for: registered.flowClient)
            #expect(token.claims["aud"] as? String == registered.clientID)
        }
    }

    @Test(
        "when a redirect URI uses the javascript: scheme then the answer is 400 invalid_redirect_uri and nothing is registered",
        arguments: TestDatabase.all
    )
    func javascriptRedirect(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let before = try await admin.clientTotal()
            for uri in ["javascript:alert(document.cookie)", "JavaScript://app.example.com/%0aalert(1)"] {
                let response = try await Registration.post(admin.http, Registration.metadata(["redirect_uris": [uri]]))
                expectRegistrationError(response, error: "invalid_redirect_uri", uri)
            }
            let logoutURI = try await Registration.post(
                admin.http,
                Registration.metadata(["post_logout_redirect_uris": ["javascript:alert(1)"]])
            )
            expectRegistrationError(logoutURI, error: "invalid_redirect_uri", "javascript: as a post-logout redirect URI")
            let mixed = try await Registration.post(
                admin.http,
                Registration.metadata(["redirect_uris": [Flow.redirectURI, "javascript:alert(1)"]])
            )
            expectRegistrationError(mixed, error: "invalid_redirect_uri", "one bad URI among good ones")
            #expect(try await admin.clientTotal() == before)
        }
    }

    @Test(
        "when redirect URIs are missing, use http off loopback or carry a fragment then the answer is invalid_redirect_uri",
        arguments: TestDatabase.all
    )
    func otherBadRedirects(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let cases: [(String, [String: Any])] = [
                ("none", ["redirect_uris": NSNull()]),
                ("empty list", ["redirect_uris": [String]()]),
                ("http on a public host", ["redirect_uris": ["http://app.example.com/cb"]]),
                ("fragment", ["redirect_uris": ["https://app.example.com/cb#frag"]]),
            ]
            for (comment, overrides) in cases {
                expectRegistrationError(
                    try await Registration.post(admin.http, Registration.metadata(overrides)),
                    error: "invalid_redirect_uri",
                    comment
                )
            }
        }
    }

    @Test("when token_endpoint_auth_method is unknown then the answer is 400 invalid_client_metadata", arguments: TestDatabase.all)
    func unknownAuthMethod(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let before = try await admin.clientTotal()
            for method in ["client_secret_magic", "tls_client_auth_but_not_really", ""] {
                let response = try await Registration.post(admin.http, Registration.metadata(["token_endpoint_auth_method": method]))
                expectRegistrationError(response, error: "invalid_client_metadata", "method \"\(method)\"")
            }
            #expect(try await admin.clientTotal() == before)
        }
    }

    @Test("when a metadata member has the wrong JSON type then the answer is 400 invalid_client_metadata", arguments: TestDatabase.all)
    func wrongTypes(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let cases: [(String, Any)] = [
                ("redirect_uris", Flow.redirectURI),
                ("redirect_uris", [1, 2]),
                ("client_name", 42),
                ("grant_types", "authorization_code"),
                ("scope", ["openid"]),
                ("contacts", "ops@example.com"),
                ("require_auth_time", "yes"),
                ("require_auth_time", 1),
                ("backchannel_logout_session_required", 0),
                ("default_max_age", "60"),
                ("default_max_age", 1.5),
                ("jwks", "not an object"),
            ]
            for (name, value) in cases {
                let response = try await Registration.post(admin.http, Registration.metadata([name: value]))
                expectRegistrationError(response, error: "invalid_client_metadata", "\(name) = \(value)")
            }
            let array = try await Registration.post(admin.http, rawBody: "[]")
            expectRegistrationError(array, error: "invalid_client_metadata", "a JSON array body")
            let malformed = try await Registration.post(admin.http, rawBody: "{\"client_name\": ")
            expectRegistrationError(malformed, error: "invalid_client_metadata", "truncated JSON")
        }
    }

    @Test(
        "when metadata values are invalid (unknown alg, subject_type, response_type, insecure logout URI) then invalid_client_metadata",
        arguments: TestDatabase.all
    )
    func invalidValues(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let cases: [[String: Any]] = [
                ["id_token_signed_response_alg": "none"],
                ["id_token_signed_response_alg": "HS256"],
                ["userinfo_signed_response_alg": "RS1024"],
                ["subject_type": "secret"],
                ["response_types": ["token"]],
                ["grant_types": ["implicit"]],
                ["backchannel_logout_uri": "http://app.example.com/logout"],
                ["default_max_age": -1],
            ]
            for overrides in cases {
                let response = try await Registration.post(admin.http, Registration.metadata(overrides))
                expectRegistrationError(response, error: "invalid_client_metadata", "\(overrides)")
            }
        }
    }

    // MARK: RFC 7592

    @Test(
        "when the registration is read with its registration access token then 200 with the metadata; a wrong or missing token gets 401",
        arguments: TestDatabase.all
    )
    func read(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let registered = try await Registration.register(admin.http, ["client_name": "Readable"])
            let response = try await Registration.manage(admin.http, .get, registered.registrationPath, token: registered.registrationAccessToken)
            #expect(response.status == .ok, "\(response.text)")
            let body = try response.json()
            #expect(body["client_id"] as? String == registered.clientID)
            #expect(body["client_name"] as? String == "Readable")
            #expect(body["redirect_uris"] as? [String] == [Flow.redirectURI])
            #expect(response.headers[.cacheControl] == "no-store")
            // RFC 7592 §3: both members are REQUIRED in the client information response.
            #expect(body["registration_access_token"] as? String == registered.registrationAccessToken)
            #expect((body["registration_client_uri"] as? String)?.hasSuffix(registered.registrationPath) == true)

            let adminToken = try await admin.http.adminToken()
            let attempts: [(String, String?)] = [("wrong token", "custos_rat_wrong"), ("no token", nil), ("admin token", adminToken)]
            for (comment, token) in attempts {
                let refused = try await Registration.manage(admin.http, .get, registered.registrationPath, token: token)
                #expect(refused.status == .unauthorized, "\(comment): \(refused.status)")
                #expect(refused.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(comment)")
                #expect(refused.string("client_id") == nil, "\(comment): \(refused.text)")
            }
        }
    }

    @Test("when one client's registration access token is used on another client's registration then 401", arguments: TestDatabase.all)
    func tokenBoundToClient(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let first = try await Registration.register(admin.http)
            let second = try await Registration.register(admin.http)
            for method in [HTTPRequest.Method.get, .delete] {
                let response = try await Registration.manage(admin.http, method, second.registrationPath, token: first.registrationAccessToken)
                #expect(response.status == .unauthorized, "\(method): \(response.status)")
            }
            #expect(try await Self.adminListContains(admin, second.clientID))
        }
    }

    @Test(
        "when the registration is replaced with PUT then the metadata is replaced, and client_id, secret and registration token keep working",
        arguments: TestDatabase.all
    )
    func replace(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            var original = Self.machineCapable
            original["client_name"] = "Before"
            original["logo_uri"] = "https://app.example.com/logo.png"
            let registered = try await Registration.register(admin.http, original, bearer: try await Self.machineToken(admin))
            let secret = try #require(registered.secret)
            try await admin.expectTokenIssued(registered.clientID, secret, "before the replacement")

            var replacement = Registration.metadata(Self.machineCapable)
            replacement["client_id"] = registered.clientID
            replacement["client_name"] = "After"
            replacement["redirect_uris"] = ["https://app.example.com/new-cb"]
            let response = try await Registration.manage(
                admin.http,
                .put,
                registered.registrationPath,
                token: registered.registrationAccessToken,
                json: replacement
            )
            #expect(response.status == .ok, "\(response.text)")
            let body = try response.json()
            #expect(body["client_id"] as? String == registered.clientID)
            #expect(body["client_name"] as? String == "After")
            #expect(body["redirect_uris"] as? [String] == ["https://app.example.com/new-cb"])
            // RFC 7592 §2.2: omitted fields are not kept — the logo is gone.
            #expect(body["logo_uri"] == nil, "logo_uri survived a replacement without it: \(body)")

            // Nothing that identifies or authenticates the client was rotated.
            try await admin.expectTokenIssued(registered.clientID, secret, "the original secret after the replacement")
            #expect(body["client_secret"] as? String == nil || body["client_secret"] as? String == secret, "a new secret: \(body)")
            let read = try await Registration.manage(admin.http, .get, registered.registrationPath, token: registered.registrationAccessToken)
            #expect(read.status == .ok, "the original registration token after the replacement: \(read.status)")
            #expect(read.string("client_name") == "After")
            // The admin API sees the new metadata.
            let data = try await admin.client(registered.clientID)
            #expect(data["name"] as? String == "After")
            #expect(data["redirect_uris"] as? [String] == ["https://app.example.com/new-cb"])
        }
    }

    @Test("when a PUT carries a client_secret of its own choosing then that value never becomes the secret", arguments: TestDatabase.all)
    func replaceCannotChooseSecret(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let registered = try await Registration.register(admin.http, Self.machineCapable, bearer: try await Self.machineToken(admin))
            let secret = try #require(registered.secret)
            let chosen = "attacker-chosen-secret-0123456789abcdefghijkl"
            var replacement = Registration.metadata(Self.machineCapable)
            replacement["client_id"] = registered.clientID
            replacement["client_secret"] = chosen
            let response = try await Registration.manage(
                admin.http,
                .put,
                registered.registrationPath,
                token: registered.registrationAccessToken,
                json: replacement
            )
            // RFC 7592 §2.2: a client_secret in the request must match the current one; either way it is not set by the client.
            #expect(response.status == .ok || response.status == .badRequest, "\(response.status) \(response.text)")
            try await admin.expectInvalidClient(registered.clientID, chosen, "the secret the PUT carried")
            try await admin.expectTokenIssued(registered.clientID, secret, "the issued secret")
        }
    }

    @Test(
        "when a client registers without a scope then it may still ask for the standard OpenID scopes profile and email",
        arguments: TestDatabase.all
    )
    func defaultScopesCoverOpenID(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            // The OpenID Foundation's dynamic test plans register without `scope`, then ask for openid profile email.
            let registered = try await Registration.register(openID.http, ["scope": NSNull()])
            let code = try await openID.flow.code(for: registered.flowClient, scope: "openid profile email")
            let response = try await openID.flow.redeem(code, client: registered.flowClient)
            #expect(response.status == .ok, "\(response.text)")
            let access = try #require(response.string("access_token"))
            let claims = try await openID.userInfo(bearer: access).json()
            #expect(claims["name"] as? String == OpenID.userName)
            #expect(claims["email"] as? String == "alice@example.com")
        }
    }

    @Test(
        "when a client registers with token_endpoint_auth_method none then it is public: no secret, and the code flow works with PKCE alone",
        arguments: TestDatabase.all
    )
    func publicClient(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let response = try await Registration.post(openID.http, Registration.metadata(["token_endpoint_auth_method": "none"]))
            #expect(response.status == .created, "\(response.text)")
            let body = try response.json()
            #expect(body["client_secret"] == nil, "a public client got a secret: \(body)")
            #expect(body["token_endpoint_auth_method"] as? String == "none")
            let client = FlowClient(clientID: try #require(body["client_id"] as? String), secret: nil, redirectURI: Flow.redirectURI)
            let (_, token, _) = try await openID.idToken(for: client)
            #expect(token.claims["aud"] as? String == client.clientID)
        }
    }

    @Test("when a PUT replaces redirect_uris then the old redirect URI no longer works at the authorization endpoint", arguments: TestDatabase.all)
    func replacedRedirectNoLongerAccepted(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let registered = try await Registration.register(openID.http)
            var replacement = Registration.metadata(["redirect_uris": ["https://app.example.com/new-cb"]])
            replacement["client_id"] = registered.clientID
            let put = try await Registration.manage(
                openID.http,
                .put,
                registered.registrationPath,
                token: registered.registrationAccessToken,
                json: replacement
            )
            #expect(put.status == .ok, "\(put.text)")
            try await openID.flow.consent(registered.flowClient)
            let old = try await openID.flow.authorize(FlowContext.parameters(for: registered.flowClient))
            expectAuthorizationErrorPage(old, "the replaced redirect URI")
            let renewed = FlowClient(clientID: registered.clientID, secret: registered.secret, redirectURI: "https://app.example.com/new-cb")
            let new = try await openID.flow.authorize(FlowContext.parameters(for: renewed))
            #expect(new.status == .found, "\(new.status) \(new.text)")
            #expect(RedirectQuery(new.location)?.base == "https://app.example.com/new-cb")
        }
    }

    @Test("when a PUT names another client_id, breaks a rule or lacks the token then it is refused and nothing changes", arguments: TestDatabase.all)
    func replaceRefused(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let registered = try await Registration.register(admin.http, ["client_name": "Stable"])
            var mismatched = Registration.metadata(["client_name": "Hijacked"])
            mismatched["client_id"] = "someone-else"
            let wrongID = try await Registration.manage(
                admin.http,
                .put,
                registered.registrationPath,
                token: registered.registrationAccessToken,
                json: mismatched
            )
            expectRegistrationError(wrongID, error: "invalid_client_metadata", "client_id mismatch")

            var invalid = Registration.metadata(["client_name": "Hijacked", "redirect_uris": ["javascript:alert(1)"]])
            invalid["client_id"] = registered.clientID
            let bad = try await Registration.manage(
                admin.http,
                .put,
                registered.registrationPath,
                token: registered.registrationAccessToken,
                json: invalid
            )
            expectRegistrationError(bad, error: "invalid_redirect_uri", "javascript: on update")

            var valid = Registration.metadata(["client_name": "Hijacked"])
            valid["client_id"] = registered.clientID
            let noToken = try await Registration.manage(admin.http, .put, registered.registrationPath, token: "custos_rat_nope", json: valid)
            #expect(noToken.status == .unauthorized)

            #expect(try await admin.client(registered.clientID)["name"] as? String == "Stable")
        }
    }

    @Test(
        "when the registration is deleted then 204, later reads get 401, the secret stops working and the admin API no longer lists it",
        arguments: TestDatabase.all
    )
    func delete(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let registered = try await Registration.register(admin.http, Self.machineCapable, bearer: try await Self.machineToken(admin))
            let secret = try #require(registered.secret)
            #expect(try await Self.adminListContains(admin, registered.clientID))

            let response = try await Registration.manage(admin.http, .delete, registered.registrationPath, token: registered.registrationAccessToken)
            #expect(response.status == .noContent, "\(response.text)")
            #expect(response.body.readableBytes == 0)

            let read = try await Registration.manage(admin.http, .get, registered.registrationPath, token: registered.registrationAccessToken)
            #expect(read.status == .unauthorized, "\(read.status)")
            let again = try await Registration.manage(admin.http, .delete, registered.registrationPath, token: registered.registrationAccessToken)
            #expect(again.status == .unauthorized, "\(again.status)")
            try await admin.expectInvalidClient(registered.clientID, secret, "the deleted client's secret")
            #expect(try await !Self.adminListContains(admin, registered.clientID))
            #expect(try await admin.call(.get, "/oauth/clients/\(registered.clientID)").status == .notFound)
        }
    }

    // MARK: Who may register

    @Test(
        "when one address registers an 11th client within an hour then 429 rate_limit_exceeded with Retry-After; an hour later it may again",
        arguments: TestDatabase.all
    )
    func rateLimit(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for index in 1...10 {
                let response = try await Registration.post(admin.http, Registration.metadata(["client_name": "App \(index)"]))
                #expect(response.status == .created, "registration \(index): \(response.status) \(response.text)")
            }
            let before = try await admin.clientTotal()
            let limited = try await Registration.post(admin.http, Registration.metadata(["client_name": "App 11"]))
            expectRegistrationError(limited, .tooManyRequests, error: "rate_limit_exceeded", "the 11th registration")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) }, "no numeric Retry-After")
            #expect(retryAfter > 0 && retryAfter <= 3_600, "Retry-After \(retryAfter)")
            #expect(try await admin.clientTotal() == before, "the refused registration stored a client")

            admin.server.clock.advance(by: 3_601)
            let later = try await Registration.post(admin.http, Registration.metadata(["client_name": "Next hour"]))
            #expect(later.status == .created, "an hour later: \(later.status) \(later.text)")
        }
    }

    @Test("when open registration is switched off then POST /oauth/register is refused and nothing is stored", arguments: TestDatabase.all)
    func disabled(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.dynamicRegistration.enabled = false }) { admin in
            let before = try await admin.clientTotal()
            let response = try await Registration.post(admin.http)
            #expect(response.status == .forbidden || response.status == .unauthorized, "\(response.status) \(response.text)")
            #expect(response.string("client_id") == nil)
            #expect(try await admin.clientTotal() == before)
        }
    }

    @Test("when an initial access token is required then registration needs it as a bearer token", arguments: TestDatabase.all)
    func initialAccessToken(database: TestDatabase) async throws {
        let initial = "initial-access-token-0123456789abcdef"
        try await withAdmin(database, configure: { $0.dynamicRegistration.initialAccessToken = initial }) { admin in
            let without = try await Registration.post(admin.http)
            #expect(without.status == .unauthorized, "\(without.status) \(without.text)")
            #expect(without.string("client_id") == nil)
            let wrong = try await Registration.post(admin.http, bearer: "not-the-token")
            #expect(wrong.status == .unauthorized, "\(wrong.status)")
            let with = try await Registration.post(admin.http, bearer: initial)
            #expect(with.status == .created, "\(with.status) \(with.text)")
        }
    }
}

/// `GET /oauth/client/{client_id}` (swagger): what a consent page may show about a client.
@Suite("OpenID: public client information (DynamicRegistration suites)")
struct DynamicRegistrationClientInfoTests {
    @Test(
        "when a client's public information is read then 200 with a data envelope holding its name and scopes, and no secret",
        arguments: TestDatabase.all
    )
    func info(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let data = try await admin.create(
                clientBody(["name": "Photo Album", "logo_url": "https://app.example.com/logo.png", "scopes": ["openid", "profile"]])
            )
            let clientID = try #require(data["client_id"] as? String)
            let secret = try #require(data["client_secret"] as? String)
            // Public: no credentials needed.
            let response = try await admin.http.execute(uri: "\(api)/oauth/client/\(clientID)", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok, "\(response.text)")
            let json = try response.json()
            #expect(json["code"] as? Int == 0)
            #expect(json["message"] is String && json["timestamp"] is String)
            let info = try response.data()
            #expect(info["client_id"] as? String == clientID)
            #expect(info["name"] as? String == "Photo Album")
            #expect(info["logo_url"] as? String == "https://app.example.com/logo.png")
            #expect(info["scopes"] as? [String] == ["openid", "profile"])
            #expect(!response.text.contains(secret), "the secret is exposed")
            #expect(!info.keys.contains { $0.contains("secret") }, "\(info.keys)")
            #expect(info["redirect_uris"] == nil && info["jwks"] == nil, "\(info.keys)")
        }
    }

    @Test("when an unknown client's public information is read then 404 SimpleResponse", arguments: TestDatabase.all)
    func unknown(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let response = try await admin.http.execute(uri: "\(api)/oauth/client/no-such-client", method: .get, headers: [:], body: nil)
            expectSimpleError(response, .notFound, "unknown client")
        }
    }
}
