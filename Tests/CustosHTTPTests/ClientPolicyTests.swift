import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Rules 1 (the first-party flag), 3 (scopes and registration tokens), 14 (redirect URIs)
/// and 17 (PKCE per client) of "Authorization boundaries".
@Suite("Client policy")
struct ClientPolicyTests {
    typealias Context = FlowContext

    // MARK: Rule 3: scopes on the admin API

    @Test(
        "when the admin API creates a client with scope read:orders then 201, and client_credentials grants read:orders",
        arguments: TestDatabase.all
    )
    func apiScopeThroughAdminAPI(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let response = try await admin.call(
                .post,
                "/oauth/clients",
                json: serviceClientBody(name: "Orders", ["scopes": ["read:orders"]])
            )
            #expect(response.status == .created, "\(response.text)")
            let data = try response.data()
            let clientID = try #require(data["client_id"] as? String)
            let secret = try #require(data["client_secret"] as? String)
            let token = try await admin.http.tokenRequest(clientID: clientID, secret: secret, scope: "read:orders")
            #expect(token.status == .ok, "\(token.text)")
            #expect(try token.json()["scope"] as? String == "read:orders")
        }
    }

    @Test(
        "when a client asks for admin or account then 400 naming scopes; account is allowed with first_party true and not without it",
        arguments: TestDatabase.all
    )
    func reservedScopes(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for scope in ["admin", "account"] {
                try await admin.expectCreateRejected(clientBody(["scopes": ["openid", scope]]), naming: ["scopes"], scope)
            }
            try await admin.expectCreateRejected(
                clientBody(["scopes": ["admin"], "first_party": true]),
                naming: ["scopes"],
                "admin even for first-party"
            )
            let first = try await admin.create(clientBody(["scopes": ["openid", "account"], "first_party": true]))
            #expect(first["scopes"] as? [String] == ["openid", "account"])
            let id = try #require(first["client_id"] as? String)
            #expect(try await admin.client(id)["first_party"] as? Bool == true)
            // The mark cannot be taken away while the client holds account.
            let unmark = try await admin.call(.put, "/oauth/clients/\(id)", json: ["first_party": false])
            #expect(unmark.status == .badRequest, "\(unmark.text)")
            #expect(unmark.text.contains("scopes"))
            // Nor can an existing client be given admin by an update.
            let escalate = try await admin.call(.put, "/oauth/clients/\(id)", json: ["scopes": ["openid", "admin"]])
            #expect(escalate.status == .badRequest, "\(escalate.text)")
            let plain = try await admin.client(try #require(try await admin.create(clientBody())["client_id"] as? String))
            #expect(plain["first_party"] as? Bool == false)
            #expect(plain["require_pkce"] as? Bool == true)
        }
    }

    // MARK: Rule 3: dynamic registration without a policy

    @Test(
        "when a client registers without an initial access token then it gets standard scopes only, and client_credentials or an API scope is refused",
        arguments: TestDatabase.all
    )
    func openRegistrationIsStandardOnly(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.additionalScopes = ["read:orders"] }) { admin in
            let plain = try await Registration.register(admin.http, ["scope": NSNull()])
            #expect(try await admin.client(plain.clientID)["scopes"] as? [String] == ScopeRegistry.standard)
            for (name, overrides) in [
                ("client_credentials", ["grant_types": ["authorization_code", "client_credentials"]] as [String: Any]),
                ("API scope", ["scope": "openid read:orders"]), ("account", ["scope": "openid account"]),
                ("admin", ["scope": "admin"]),
            ] {
                let response = try await Registration.post(admin.http, Registration.metadata(overrides))
                expectRegistrationError(response, error: "invalid_client_metadata", name)
            }
        }
    }

    @Test("when a registration sends first_party and require_pkce then neither is set", arguments: TestDatabase.all)
    func registrationCannotSetFlags(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let registered = try await Registration.register(admin.http, ["first_party": true, "require_pkce": false])
            let data = try await admin.client(registered.clientID)
            #expect(data["first_party"] as? Bool == false)
            #expect(data["require_pkce"] as? Bool == true)
        }
    }

    @Test("when the static initial access token is used then only the standard policy applies", arguments: TestDatabase.all)
    func staticTokenIsStandard(database: TestDatabase) async throws {
        let initial = "static-initial-token-0123456789"
        try await withAdmin(database, configure: { $0.dynamicRegistration.initialAccessToken = initial }) { admin in
            _ = try await Registration.register(admin.http, bearer: initial)
            let machine = try await Registration.post(
                admin.http,
                Registration.metadata(["grant_types": ["client_credentials"]]),
                bearer: initial
            )
            expectRegistrationError(machine, error: "invalid_client_metadata", "client_credentials with the static token")
            let wrong = try await Registration.post(admin.http, Registration.metadata(), bearer: "not-the-token-0123456789")
            #expect(wrong.status == .unauthorized, "\(wrong.text)")
        }
    }

    // MARK: Rule 3: registration tokens

    @Test(
        "when an administrator creates a registration token then 201 no-store shows it once; the list shows its policy and counters, never the token",
        arguments: TestDatabase.all
    )
    func registrationTokenLifecycle(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let created = try await admin.call(
                .post,
                "/oauth/registration-tokens",
                json: ["scopes": ["read:orders"], "grant_types": ["client_credentials"], "expires_in": 600, "max_uses": 1]
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.cacheControl] == "no-store")
            let body = try created.json()
            #expect(body["code"] as? Int == 0)
            let data = try created.data()
            let token = try #require(data["token"] as? String)
            let id = try #require(data["id"] as? String)
            #expect(data["scopes"] as? [String] == ["read:orders"])
            #expect(data["max_uses"] as? Int == 1 && data["uses"] as? Int == 0)

            let list = try await admin.call(.get, "/oauth/registration-tokens")
            #expect(list.status == .ok)
            #expect(!list.text.contains(token), "the list shows the token")
            let items = try #require(try list.json()["items"] as? [[String: Any]])
            #expect(items.count == 1 && items[0]["id"] as? String == id && items[0]["token"] == nil)
            #expect(Set(items[0].keys) == ["id", "scopes", "grant_types", "expires_at", "max_uses", "uses", "created_at"])

            #expect(try await admin.call(.delete, "/oauth/registration-tokens/\(id)").status == .noContent)
            let again = try await admin.call(.delete, "/oauth/registration-tokens/\(id)")
            #expect(again.status == .notFound)
            #expect(try again.json()["code"] as? Int == 404)
            let afterDelete = try await Registration.post(
                admin.http,
                Registration.metadata(["grant_types": ["client_credentials"], "scope": "read:orders"]),
                bearer: token
            )
            #expect(afterDelete.status == .unauthorized, "a deleted token: \(afterDelete.text)")
        }
    }

    @Test("when a registration token's policy is invalid then 400 in the admin format naming the field", arguments: TestDatabase.all)
    func registrationTokenValidation(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for (field, body) in [
                ("scopes", ["scopes": ["admin"]] as [String: Any]), ("scopes", ["scopes": ["account"]]), ("scopes", ["scopes": ["a b"]]),
                ("grant_types", ["grant_types": ["password"]]), ("expires_in", ["expires_in": 0]), ("max_uses", ["max_uses": 0]),
                ("expires_in", ["expires_in": "soon"]),
            ] {
                let response = try await admin.call(.post, "/oauth/registration-tokens", json: body)
                #expect(response.status == .badRequest, "\(body): \(response.text)")
                let json = try response.json()
                #expect(json["code"] as? Int == 400 && json["timestamp"] != nil)
                #expect((json["message"] as? String)?.contains(field) == true, "\(body): \(response.text)")
            }
        }
    }

    @Test(
        "when a client registers with a policy token then it gets the listed extras, max_uses holds, and the token expires",
        arguments: TestDatabase.all
    )
    func policyTokenAllowsExtras(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let created = try await admin.call(
                .post,
                "/oauth/registration-tokens",
                json: ["scopes": ["read:orders"], "grant_types": ["client_credentials"], "expires_in": 600, "max_uses": 1]
            )
            let token = try #require(try created.data()["token"] as? String)
            let machine: [String: Any] = ["grant_types": ["client_credentials"], "scope": "read:orders", "response_types": [String]()]
            // Outside the policy: refused, and the use is not spent.
            let wider = try await Registration.post(
                admin.http,
                Registration.metadata(machine.merging(["scope": "read:orders write:orders"]) { $1 }),
                bearer: token
            )
            expectRegistrationError(wider, error: "invalid_client_metadata", "a scope outside the policy")
            let registered = try await Registration.register(admin.http, machine, bearer: token)
            let secret = try #require(registered.secret)
            let issued = try await admin.http.tokenRequest(clientID: registered.clientID, secret: secret, scope: "read:orders")
            #expect(issued.status == .ok, "\(issued.text)")
            // max_uses 1: the second registration is refused.
            let second = try await Registration.post(admin.http, Registration.metadata(machine), bearer: token)
            #expect(second.status == .unauthorized, "\(second.text)")

            let expiring = try await admin.call(.post, "/oauth/registration-tokens", json: ["expires_in": 60])
            let short = try #require(try expiring.data()["token"] as? String)
            admin.server.clock.advance(by: 61)
            let late = try await Registration.post(admin.http, Registration.metadata(), bearer: short)
            #expect(late.status == .unauthorized, "an expired token: \(late.text)")
        }
    }

    @Test("when two nodes' worth of registrations race on a max_uses token then exactly max_uses succeed", arguments: TestDatabase.all)
    func maxUsesUnderConcurrency(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.dynamicRegistration.registrationsPerHourPerIP = 100 }) { admin in
            let created = try await admin.call(.post, "/oauth/registration-tokens", json: ["max_uses": 2])
            let token = try #require(try created.data()["token"] as? String)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await Registration.post(admin.http, Registration.metadata(), bearer: token).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 2, "\(statuses)")
            #expect(statuses.filter { $0 == .unauthorized }.count == 4, "\(statuses)")
        }
    }

    // MARK: Rule 14: redirect URIs

    @Test(
        "when a client registers http://localhost then it is refused, public or confidential, with or without the setting",
        arguments: TestDatabase.all
    )
    func localhostRefused(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.allowsLoopbackHTTPRedirects = true }) { admin in
            for confidential in [true, false] {
                try await admin.expectCreateRejected(
                    clientBody(["redirect_uris": ["http://localhost:3000/cb"], "is_confidential": confidential]),
                    naming: ["redirect_uris[0]"],
                    "localhost, confidential \(confidential)"
                )
            }
            let response = try await Registration.post(
                admin.http,
                Registration.metadata(["redirect_uris": ["http://localhost/cb"], "token_endpoint_auth_method": "none"])
            )
            expectRegistrationError(response, error: "invalid_redirect_uri", "localhost through registration")
        }
    }

    @Test(
        "when a confidential client registers http on 127.0.0.1 then it is refused unless the operator allows loopback http; a public client may",
        arguments: TestDatabase.all
    )
    func confidentialLoopback(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            try await admin.expectCreateRejected(
                clientBody(["redirect_uris": ["http://127.0.0.1:8080/cb"]]),
                naming: ["redirect_uris[0]"],
                "confidential loopback"
            )
            try await admin.expectCreateRejected(
                clientBody(["post_logout_redirect_uris": ["http://127.0.0.1:8080/out"]]),
                naming: ["post_logout_redirect_uris[0]"],
                "confidential loopback post-logout URI"
            )
            _ = try await admin.create(clientBody(["redirect_uris": ["http://127.0.0.1/cb"], "is_confidential": false]))
        }
        try await withAdmin(database, configure: { $0.allowsLoopbackHTTPRedirects = true }) { admin in
            _ = try await admin.create(clientBody(["redirect_uris": ["http://127.0.0.1:8080/cb", "http://[::1]:8080/cb"]]))
        }
    }

    // MARK: Rule 17: PKCE per client

    @Test(
        "when require_pkce false is set on a public or FAPI 2.0 client then 400 naming require_pkce; a confidential client may, fapi1 too",
        arguments: TestDatabase.all
    )
    func requirePKCEValidation(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            try await admin.expectCreateRejected(
                clientBody(["require_pkce": false, "is_confidential": false]),
                naming: ["require_pkce"],
                "public"
            )
            for profile in ["fapi2", "fapi2_message_signing"] {
                try await admin.expectCreateRejected(
                    clientBody([
                        "require_pkce": false, "fapi_profile": profile, "client_auth_methods": ["private_key_jwt"],
                        "jwks": SampleKeys.validJWKS,
                    ]),
                    naming: ["require_pkce"],
                    profile
                )
            }
            // FAPI 1.0 Advanced requires PKCE only with PAR (§5.2.2 item 18).
            let fapi1 = try await admin.create(
                clientBody(["require_pkce": false, "fapi_profile": "fapi1", "client_auth_methods": ["private_key_jwt"], "jwks": SampleKeys.validJWKS])
            )
            #expect(try await admin.client(try #require(fapi1["client_id"] as? String))["require_pkce"] as? Bool == false)
            let legacy = try await admin.create(clientBody(["require_pkce": false]))
            let id = try #require(legacy["client_id"] as? String)
            #expect(try await admin.client(id)["require_pkce"] as? Bool == false)
            let toPublic = try await admin.call(.put, "/oauth/clients/\(id)", json: ["is_confidential": false, "client_auth_methods": ["none"]])
            #expect(toPublic.status == .badRequest && toPublic.text.contains("require_pkce"), "\(toPublic.text)")
        }
    }

    @Test(
        "when a require_pkce false client omits PKCE then an OpenID request needs a nonce, the code redeems without a verifier and refuses one, and plain stays refused",
        arguments: TestDatabase.all
    )
    func requestWithoutPKCE(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let legacy = try await flow.makeClient(["require_pkce": false], name: "Legacy RP")
            try await flow.consent(legacy)
            let noPKCE: [String: String?] = ["code_challenge": nil, "code_challenge_method": nil]
            let withoutNonce = try await flow.authorize(Context.parameters(for: legacy, replacing: noPKCE))
            expectRedirectError(withoutNonce, to: legacy.redirectURI, error: "invalid_request", "no PKCE and no nonce")
            let plain = try await flow.authorize(
                Context.parameters(for: legacy, replacing: ["code_challenge": Flow.verifier, "code_challenge_method": "plain"])
            )
            expectRedirectError(plain, to: legacy.redirectURI, error: "invalid_request", "plain")

            var withNonce = noPKCE
            withNonce["nonce"] = "n-0S6_WzA2Mj"
            let code = try await flow.code(for: legacy, replacing: withNonce)
            let spoofed = try await flow.redeem(code, client: legacy, verifier: Flow.verifier)
            #expect(spoofed.status == .badRequest, "a verifier for a code without challenge: \(spoofed.text)")
            #expect(OAuthEndpointKit.error(spoofed) == "invalid_grant")
            let redeemed = try await flow.redeem(code, client: legacy, verifier: nil)
            #expect(redeemed.status == .ok, "\(redeemed.text)")

            // Without openid, no nonce is needed; with PKCE, everything works as before.
            let oauthOnly = try await flow.code(for: legacy, scope: "profile", replacing: noPKCE)
            #expect(try await flow.redeem(oauthOnly, client: legacy, verifier: nil).status == .ok)
            let pkce = try await flow.code(for: legacy)
            #expect(try await flow.redeem(pkce, client: legacy).status == .ok)

            // A client that requires PKCE still gets no code without it, nonce or not.
            let strict = try await flow.makeClient(name: "Strict RP")
            try await flow.consent(strict)
            let refused = try await flow.authorize(Context.parameters(for: strict, replacing: withNonce))
            expectRedirectError(refused, to: strict.redirectURI, error: "invalid_request", "PKCE required")
        }
    }
}
