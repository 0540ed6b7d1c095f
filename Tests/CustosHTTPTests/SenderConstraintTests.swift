import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The sender-constraint seam end to end (RFC 9449, RFC 8705): a binding a registered
/// `SenderConstraint` produces reaches the JWT (`cnf`), the token response (`token_type`),
/// introspection (`cnf`, `token_type`), survives a refresh, and keeps the token from being
/// used as a plain bearer token. A test constraint stands in for any binding (DPoPTests runs the real one).
@Suite("Token endpoint: sender-constrained tokens")
struct SenderConstraintTests {
    static let thumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"

    @Test(
        "when a constraint binds the request to a DPoP key then the token is DPoP, its JWT and introspection carry cnf.jkt, and userinfo refuses it as a bearer token",
        arguments: TestDatabase.all
    )
    func dpopBound(database: TestDatabase) async throws {
        let constraint = FixedSenderConstraint(.jkt(Self.thumbprint))
        try await withFlow(database, senderConstraints: [constraint]) { flow in
            let client = try await flow.makeClient()
            let tokens = try await flow.tokens(for: client)
            #expect(tokens["token_type"] as? String == "DPoP")
            let access = try #require(tokens["access_token"] as? String)
            let claims = try jwtSegments(access).payload
            #expect(claims["cnf"] as? [String: String] == ["jkt": Self.thumbprint], "\(claims)")
            #expect(claims["aud"] as? String == Flow.issuer, "the audience stays the issuer")
            #expect(claims["act"] == nil)

            let introspection = try await flow.introspect(access, caller: flow.adminClient)
            #expect(introspection.status == .ok, "\(introspection.text)")
            let answer = try introspection.json()
            #expect(answer["active"] as? Bool == true)
            #expect(answer["token_type"] as? String == "DPoP")
            #expect(answer["cnf"] as? [String: String] == ["jkt": Self.thumbprint], "\(answer)")
            #expect(answer["aud"] as? String == Flow.issuer)

            // The admin API's token list says what each token is bound to (never the token).
            let listed = try await flow.http.admin(.get, "/oauth/clients/\(client.clientID)/tokens", token: try await flow.http.adminToken())
            #expect(listed.status == .ok, "\(listed.text)")
            let items = try #require(try listed.json()["items"] as? [[String: Any]])
            #expect(items.contains { $0["cnf"] as? [String: String] == ["jkt": Self.thumbprint] }, "\(items)")

            let userInfo = try await flow.http.execute(
                uri: OpenID.userInfoPath,
                method: .get,
                headers: [.authorization: "Bearer \(access)"],
                body: nil
            )
            #expect(userInfo.status == .unauthorized, "\(userInfo.text)")
            #expect(userInfo.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
        }
    }

    @Test(
        "when a constraint binds the request to a certificate then the token stays Bearer but carries cnf x5t#S256 and is refused as a plain bearer token",
        arguments: TestDatabase.all
    )
    func mtlsBound(database: TestDatabase) async throws {
        let constraint = FixedSenderConstraint(.x5tS256(Self.thumbprint))
        try await withFlow(database, senderConstraints: [constraint]) { flow in
            let client = try await flow.makeClient()
            let tokens = try await flow.tokens(for: client)
            #expect(tokens["token_type"] as? String == "Bearer", "RFC 8705 §3: mTLS-bound tokens keep the Bearer scheme")
            let access = try #require(tokens["access_token"] as? String)
            #expect(try jwtSegments(access).payload["cnf"] as? [String: String] == ["x5t#S256": Self.thumbprint])
            let answer = try await flow.introspect(access, caller: flow.adminClient).json()
            #expect(answer["token_type"] as? String == "Bearer")
            #expect(answer["cnf"] as? [String: String] == ["x5t#S256": Self.thumbprint], "\(answer)")
            let userInfo = try await flow.http.execute(
                uri: OpenID.userInfoPath,
                method: .get,
                headers: [.authorization: "Bearer \(access)"],
                body: nil
            )
            #expect(userInfo.status == .unauthorized, "\(userInfo.text)")
        }
    }

    @Test(
        "when a public client's bound refresh token is used then the new tokens keep its binding, and another key is invalid_grant",
        arguments: TestDatabase.all
    )
    func refreshKeepsBinding(database: TestDatabase) async throws {
        let constraint = FixedSenderConstraint(.jkt(Self.thumbprint))
        try await withFlow(database, senderConstraints: [constraint]) { flow in
            let client = try await flow.makePublicClient()
            let first = try await flow.tokens(for: client)
            let refresh = try #require(first["refresh_token"] as? String)
            let refreshAnswer = try await flow.introspect(refresh, caller: flow.adminClient).json()
            #expect(refreshAnswer["cnf"] as? [String: String] == ["jkt": Self.thumbprint], "a public client's refresh token is bound")

            // Another key: the bound refresh token is refused and stays usable with its own key.
            constraint.binding = .jkt("another-key-thumbprint")
            AuthorizationCodeGrantTests.expectInvalidGrant(try await flow.refresh(refresh, client: client), "another key")
            constraint.binding = nil
            AuthorizationCodeGrantTests.expectInvalidGrant(try await flow.refresh(refresh, client: client), "no proof at all")

            constraint.binding = .jkt(Self.thumbprint)
            let refreshed = try await flow.refresh(refresh, client: client)
            #expect(refreshed.status == .ok, "\(refreshed.text)")
            #expect(refreshed.string("token_type") == "DPoP")
            let access = try #require(refreshed.string("access_token"))
            #expect(try jwtSegments(access).payload["cnf"] as? [String: String] == ["jkt": Self.thumbprint])
            let successor = try #require(refreshed.string("refresh_token"))
            let successorAnswer = try await flow.introspect(successor, caller: flow.adminClient).json()
            #expect(successorAnswer["cnf"] as? [String: String] == ["jkt": Self.thumbprint])
        }
    }

    @Test("when two constraints both bind one request then the token endpoint answers invalid_request", arguments: TestDatabase.all)
    func twoBindings(database: TestDatabase) async throws {
        let constraints = [FixedSenderConstraint(.jkt(Self.thumbprint)), FixedSenderConstraint(.x5tS256(Self.thumbprint))]
        try await withFlow(database, senderConstraints: constraints) { flow in
            let client = try await flow.makeClient()
            let code = try await flow.code(for: client)
            let response = try await flow.redeem(code, client: client)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.string("error") == "invalid_request")
            #expect(response.string("access_token") == nil)
        }
    }

    @Test("when no constraint binds the request then the token is an unbound Bearer token for the issuer", arguments: TestDatabase.all)
    func unbound(database: TestDatabase) async throws {
        try await withFlow(database, senderConstraints: [FixedSenderConstraint(nil)]) { flow in
            let client = try await flow.makeClient()
            let tokens = try await flow.tokens(for: client)
            #expect(tokens["token_type"] as? String == "Bearer")
            let access = try #require(tokens["access_token"] as? String)
            let claims = try jwtSegments(access).payload
            #expect(claims["cnf"] == nil && claims["act"] == nil, "\(claims)")
            #expect(claims["aud"] as? String == Flow.issuer)
            let answer = try await flow.introspect(access, caller: flow.adminClient).json()
            #expect(answer["cnf"] == nil && answer["token_type"] as? String == "Bearer", "\(answer)")
            let userInfo = try await flow.http.execute(
                uri: OpenID.userInfoPath,
                method: .get,
                headers: [.authorization: "Bearer \(access)"],
                body: nil
            )
            #expect(userInfo.status == .ok, "\(userInfo.text)")
        }
    }
    @Test(
        "when a client_credentials token is bound then the admin API refuses it as a bearer token, though introspection sees it active",
        arguments: TestDatabase.all
    )
    func adminRefusesBoundToken(database: TestDatabase) async throws {
        // Nothing exempt: the bootstrap admin client's own token is bound too.
        let server = try await TestServer.make(database, senderConstraints: [FixedSenderConstraint(.jkt(Self.thumbprint), unbound: [])])
        try await server.run { http in
            let response = try await http.tokenRequest(clientID: TestServer.adminClientID, secret: TestServer.adminClientSecret, scope: "admin")
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.string("token_type") == "DPoP")
            let token = try #require(response.string("access_token"))
            let listed = try await http.admin(.get, "/oauth/clients", token: token)
            #expect(listed.status == .unauthorized, "\(listed.text)")
            #expect(listed.text.contains("sender-constrained"), "\(listed.text)")
        }
    }

    @Test("when an opaque access token is bound then introspection answers its cnf and DPoP from the record", arguments: TestDatabase.all)
    func opaqueBound(database: TestDatabase) async throws {
        let constraint = FixedSenderConstraint(.jkt(Self.thumbprint))
        try await withFlow(database, senderConstraints: [constraint]) { flow in
            let client = try await flow.makeClient(["access_token_format": "opaque"])
            let tokens = try await flow.tokens(for: client)
            let access = try #require(tokens["access_token"] as? String)
            #expect(access.hasPrefix("custos_at_"))
            #expect(tokens["token_type"] as? String == "DPoP")
            let answer = try await flow.introspect(access, caller: client).json()
            #expect(answer["active"] as? Bool == true)
            #expect(answer["token_type"] as? String == "DPoP")
            #expect(answer["cnf"] as? [String: String] == ["jkt": Self.thumbprint], "\(answer)")
            #expect(answer["aud"] as? String == Flow.issuer)
        }
    }
}
