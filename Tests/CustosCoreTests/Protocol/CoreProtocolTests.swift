import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// The token endpoint, the grants, client authentication and the authorization endpoint,
/// driven through `CoreHarness` without HTTP (the harness a new grant's tests start from).
@Suite("Core protocol: token endpoint, grants, client authentication, authorization endpoint")
struct CoreProtocolTests {
    static let redirectURI = "https://app.example.com/cb"
    /// RFC 7636 Appendix B.
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    static func serviceClient(_ harness: CoreHarness) async throws -> CreatedClient {
        try await harness.register(
            ClientRegistrationRequest(name: "Service", redirectURIs: [redirectURI], grantTypes: ["client_credentials"], scopes: ["openid"])
        )
    }

    static func webClient(_ harness: CoreHarness) async throws -> CreatedClient {
        try await harness.register(
            ClientRegistrationRequest(
                name: "Web",
                redirectURIs: [redirectURI],
                grantTypes: ["authorization_code", "refresh_token"],
                scopes: ["openid", "profile", "offline_access"]
            )
        )
    }

    static func expectOAuthError(_ code: OAuthError.Code, _ body: () async throws -> some Any) async {
        do {
            _ = try await body()
            Issue.record("expected \(code.rawValue)")
        } catch let error as OAuthError {
            #expect(error.code == code, "\(error)")
        } catch {
            Issue.record("expected \(code.rawValue), got \(error)")
        }
    }

    @Test("when a service client asks for client_credentials then it gets a Bearer access token and no refresh token", arguments: TestDatabase.all)
    func clientCredentials(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let client = try await harness.authenticate(try await Self.serviceClient(harness))
            #expect(client.method == .clientSecretBasic)
            let response = try await harness.token(["grant_type": "client_credentials"], as: client)
            #expect(response.tokenType == "Bearer")
            #expect(response.expiresIn > 0)
            #expect(response.refreshToken == nil)
            #expect(response.accessToken.split(separator: ".").count == 3, "a JWT by default")
        }
    }

    @Test(
        "when the grant type is unknown or not registered for the client then the endpoint refuses before any grant runs",
        arguments: TestDatabase.all
    )
    func dispatchRefusals(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let client = try await harness.authenticate(try await Self.serviceClient(harness))
            await Self.expectOAuthError(.unsupportedGrantType) { try await harness.token(["grant_type": "urn:example:nothing"], as: client) }
            await Self.expectOAuthError(.unauthorizedClient) {
                try await harness.token(["grant_type": "refresh_token", "refresh_token": "x"], as: client)
            }
            await Self.expectOAuthError(.invalidRequest) { try await harness.token([:], as: client) }
        }
    }

    @Test("when a client presents a wrong secret then authentication fails with invalid_client and a private reason", arguments: TestDatabase.all)
    func wrongSecret(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.serviceClient(harness)
            do {
                _ = try await harness.authenticate(clientID: created.client.clientID, secret: "custos_cs_not-the-secret")
                Issue.record("a wrong secret authenticated")
            } catch let error as OAuthError {
                #expect(error.code == .invalidClient)
                #expect(error.detail != nil && error.description?.contains("secret") == false)
            }
        }
    }

    @Test(
        "when a signed-in user's consented request is authorized then the code redeems for tokens that refresh, and a replay of the code revokes them",
        arguments: TestDatabase.all
    )
    func codeFlow(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.webClient(harness)
            let signedIn = try await harness.signIn()
            _ = try await harness.server.consents.grant(
                userID: signedIn.user.id,
                clientID: created.client.clientID,
                scopes: ["openid", "profile", "offline_access"]
            )
            let outcome = try await harness.authorize(
                [
                    "response_type": "code", "client_id": created.client.clientID, "redirect_uri": Self.redirectURI,
                    "scope": "openid profile offline_access", "state": "s1", "code_challenge": Self.challenge, "code_challenge_method": "S256",
                ],
                session: signedIn
            )
            guard case .code(let code, let redirect) = outcome else {
                Issue.record("expected a code, got \(outcome)")
                return
            }
            #expect(redirect.state == "s1")
            let client = try await harness.authenticate(created)
            let redemption = ["grant_type": "authorization_code", "code": code, "redirect_uri": Self.redirectURI, "code_verifier": Self.verifier]
            let tokens = try await harness.token(redemption, as: client)
            #expect(tokens.idToken != nil, "openid was granted")
            let refreshToken = try #require(tokens.refreshToken, "offline_access was granted")
            let refreshed = try await harness.token(["grant_type": "refresh_token", "refresh_token": refreshToken], as: client)
            #expect(refreshed.accessToken != tokens.accessToken)
            // Pinned rule 2: a second redemption fails and revokes what the first one issued.
            await Self.expectOAuthError(.invalidGrant) { try await harness.token(redemption, as: client) }
            await Self.expectOAuthError(.invalidGrant) {
                try await harness.token(["grant_type": "refresh_token", "refresh_token": refreshToken], as: client)
            }
        }
    }

    @Test("when an authorization request has no PKCE challenge then the error goes back to the client's redirect URI", arguments: TestDatabase.all)
    func authorizationWithoutPKCE(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await Self.webClient(harness)
            let outcome = try await harness.authorize(
                ["response_type": "code", "client_id": created.client.clientID, "redirect_uri": Self.redirectURI, "scope": "openid", "state": "s2"],
                session: try await harness.signIn()
            )
            guard case .redirectError(let error, let redirect) = outcome else {
                Issue.record("expected a redirected error, got \(outcome)")
                return
            }
            #expect(error.code == .invalidRequest)
            #expect(redirect.state == "s2")
        }
    }
}
