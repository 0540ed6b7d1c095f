import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `grant_type=refresh_token` (RFC 6749 §6, OAuth 2.1 §4.3, pinned rule 3): stable refresh tokens
/// for confidential clients, rotation with reuse detection for public ones, scope narrowing
/// only, and the swagger's JSON `POST /oauth/refresh`.
@Suite("Token endpoint: refresh_token grant")
struct RefreshTokenGrantTests {
    static func expectInvalidGrant(_ response: TestResponse, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        AuthorizationCodeGrantTests.expectInvalidGrant(response, comment, sourceLocation: sourceLocation)
    }

    @Test(
        "when a confidential client refreshes then it gets a new access token, no new refresh token, and may reuse the same one",
        arguments: TestDatabase.all
    )
    func confidentialStable(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let first = try await flow.tokens(for: client)
            let refresh = try #require(first["refresh_token"] as? String)
            let originalAccess = try #require(first["access_token"] as? String)

            let once = try await flow.refresh(refresh, client: client)
            #expect(once.status == .ok, "\(once.text)")
            #expect(once.headers[.cacheControl] == "no-store")
            #expect(once.string("refresh_token") == nil, "a confidential client keeps its refresh token: \(once.text)")
            let access1 = try #require(once.string("access_token"))
            #expect(access1 != originalAccess)
            #expect(try jwtSegments(access1).payload["sub"] as? String == flow.user.id)
            #expect(once.string("scope") == "openid profile")

            let twice = try await flow.refresh(refresh, client: client)
            #expect(twice.status == .ok, "a retry after a lost response still works: \(twice.text)")
            #expect(twice.string("access_token") != nil)
            // Both new access tokens and the refresh token are active (no reuse detection here).
            #expect(try await flow.isActive(access1))
            #expect(try await flow.isActive(refresh))
        }
    }

    @Test("when a confidential client refreshes without authenticating then 401 invalid_client", arguments: TestDatabase.all)
    func confidentialNeedsAuthentication(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let refresh = try #require(try await flow.tokens(for: client)["refresh_token"] as? String)
            let bare = try await OAuthEndpointKit.post(
                flow.http,
                [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", client.clientID)]
            )
            #expect(bare.status == .unauthorized, "\(bare.text)")
            #expect(bare.string("error") == "invalid_client")
            #expect(bare.string("access_token") == nil)
        }
    }

    @Test(
        "when a public client refreshes then the refresh token rotates; replaying the old one revokes the new one and the grant's access tokens",
        arguments: TestDatabase.all
    )
    func publicRotationReuse(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makePublicClient()
            let first = try await flow.tokens(for: client)
            let rt1 = try #require(first["refresh_token"] as? String)
            let at1 = try #require(first["access_token"] as? String)

            let rotated = try await flow.refresh(rt1, client: client)
            #expect(rotated.status == .ok, "\(rotated.text)")
            let rt2 = try #require(rotated.string("refresh_token"), "a public client gets a new refresh token: \(rotated.text)")
            let at2 = try #require(rotated.string("access_token"))
            #expect(rt2 != rt1)
            #expect(try await !flow.isActive(rt1), "the spent refresh token is inactive")
            #expect(try await flow.isActive(rt2))
            #expect(try await flow.isActive(at2))

            // Reuse of RT1: refused, and the whole family is revoked.
            Self.expectInvalidGrant(try await flow.refresh(rt1, client: client), "replay of RT1")
            #expect(try await !flow.isActive(rt2), "RT2 revoked after reuse of RT1")
            #expect(try await !flow.isActive(at2), "the access token from RT1 revoked")
            #expect(try await !flow.isActive(at1), "the first access token revoked")
            Self.expectInvalidGrant(try await flow.refresh(rt2, client: client), "RT2 after the reuse")
        }
    }

    @Test("when a public client rotates twice then each step gives a working successor with the original scope", arguments: TestDatabase.all)
    func publicRotationChain(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makePublicClient()
            var refresh = try #require(try await flow.tokens(for: client, scope: "openid profile email")["refresh_token"] as? String)
            // Narrow on the first step: the access token is narrower, the successor keeps the full scope.
            let narrow = try await flow.refresh(refresh, client: client, scope: "openid")
            #expect(narrow.string("scope") == "openid", "\(narrow.text)")
            refresh = try #require(narrow.string("refresh_token"))
            let full = try await flow.refresh(refresh, client: client, scope: "openid profile email")
            #expect(full.status == .ok, "the successor keeps the original scope: \(full.text)")
            #expect(full.string("scope") == "openid profile email")
        }
    }

    @Test("when a narrower scope is asked for then 200 with it; a wider one is invalid_scope", arguments: TestDatabase.all)
    func scopeNarrowingAndWidening(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let refresh = try #require(try await flow.tokens(for: client, scope: "openid profile")["refresh_token"] as? String)

            let narrow = try await flow.refresh(refresh, client: client, scope: "profile")
            #expect(narrow.status == .ok, "\(narrow.text)")
            #expect(narrow.string("scope") == "profile")
            let access = try #require(narrow.string("access_token"))
            #expect(try jwtSegments(access).payload["scope"] as? String == "profile")

            // email is one of the client's scopes, but it was not granted.
            for wider in ["openid profile email", "email", "openid not_a_scope"] {
                let response = try await flow.refresh(refresh, client: client, scope: wider)
                #expect(response.status == .badRequest, "\(wider): \(response.text)")
                #expect(response.string("error") == "invalid_scope", "\(wider): \(response.text)")
                #expect(response.string("access_token") == nil)
            }
            // The refresh token still has its original scope after the narrowing.
            let again = try await flow.refresh(refresh, client: client)
            #expect(again.string("scope") == "openid profile", "\(again.text)")
        }
    }

    @Test("when another client presents the refresh token then invalid_grant and the token keeps working for its owner", arguments: TestDatabase.all)
    func otherClientsToken(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let owner = try await flow.makeClient()
            let thief = try await flow.makeClient(name: "Thief")
            let refresh = try #require(try await flow.tokens(for: owner)["refresh_token"] as? String)
            Self.expectInvalidGrant(try await flow.refresh(refresh, client: thief), "another confidential client")

            let publicOwner = try await flow.makePublicClient(name: "Public owner")
            let publicThief = try await flow.makePublicClient(name: "Public thief")
            let publicRefresh = try #require(try await flow.tokens(for: publicOwner)["refresh_token"] as? String)
            Self.expectInvalidGrant(try await flow.refresh(publicRefresh, client: publicThief), "another public client")

            #expect(try await flow.refresh(refresh, client: owner).status == .ok)
            #expect(try await flow.refresh(publicRefresh, client: publicOwner).status == .ok)
        }
    }

    @Test(
        "when the refresh token was revoked at /oauth/revoke then invalid_grant and the grant's access tokens are inactive",
        arguments: TestDatabase.all
    )
    func revokedRefreshToken(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let body = try await flow.tokens(for: client)
            let refresh = try #require(body["refresh_token"] as? String)
            let access = try #require(body["access_token"] as? String)
            let revoked = try await flow.revoke(refresh, client: client)
            #expect(revoked.status == .ok, "\(revoked.text)")
            Self.expectInvalidGrant(try await flow.refresh(refresh, client: client), "revoked refresh token")
            #expect(try await !flow.isActive(access))
        }
    }

    @Test("when the refresh token is past its 30-day life then invalid_grant; just before it works", arguments: TestDatabase.all)
    func expiredRefreshToken(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let confidential = try await flow.makeClient()
            let publicClient = try await flow.makePublicClient()
            let refresh = try #require(try await flow.tokens(for: confidential)["refresh_token"] as? String)
            let publicRefresh = try #require(try await flow.tokens(for: publicClient)["refresh_token"] as? String)

            flow.clock.advance(by: 30 * 86_400 - 10)
            let late = try await flow.refresh(publicRefresh, client: publicClient)
            #expect(late.status == .ok, "10 s before expiry: \(late.text)")
            let successor = try #require(late.string("refresh_token"))
            #expect(try await flow.refresh(refresh, client: confidential).status == .ok)

            flow.clock.advance(by: 11)
            Self.expectInvalidGrant(try await flow.refresh(refresh, client: confidential), "30 days + 1 s, confidential")
            // Rotation does not extend the absolute lifetime (RFC 9700 §4.14.2).
            Self.expectInvalidGrant(try await flow.refresh(successor, client: publicClient), "the rotated successor past the original expiry")
        }
    }

    @Test("when a garbage or access token is sent as refresh_token then invalid_grant", arguments: TestDatabase.all)
    func garbageRefreshToken(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["access_token_format": "opaque"])
            let body = try await flow.tokens(for: client)
            let access = try #require(body["access_token"] as? String)
            Self.expectInvalidGrant(try await flow.refresh("custos_rt_garbage", client: client), "garbage")
            Self.expectInvalidGrant(try await flow.refresh(access, client: client), "an opaque access token")
        }
    }

    @Test("when POST /oauth/refresh gets JSON with refresh_token and client_id from a public client then it rotates", arguments: TestDatabase.all)
    func jsonRefreshEndpoint(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makePublicClient()
            let refresh = try #require(try await flow.tokens(for: client)["refresh_token"] as? String)
            let json = try JSONSerialization.data(withJSONObject: ["refresh_token": refresh, "client_id": client.clientID])
            let response = try await flow.http.execute(
                uri: Flow.refreshPath,
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: json)
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.cacheControl] == "no-store")
            let body = try response.json()
            #expect(body["code"] == nil && body["data"] == nil, "flat RFC 6749 §5.1 shape: \(response.text)")
            #expect(body["token_type"] as? String == "Bearer")
            let successor = try #require(body["refresh_token"] as? String)
            #expect(successor != refresh)
            #expect(try jwtSegments(try #require(body["access_token"] as? String)).payload["sub"] as? String == flow.user.id)

            // The spent token replayed through the JSON endpoint is reuse as well.
            let replay = try await flow.http.execute(
                uri: Flow.refreshPath,
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: json)
            )
            Self.expectInvalidGrant(replay, "JSON replay")
            #expect(try await !flow.isActive(successor))
        }
    }

    @Test("when POST /oauth/refresh gets JSON with client_secret from a confidential client then it works", arguments: TestDatabase.all)
    func jsonRefreshConfidential(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["client_auth_methods": ["client_secret_post"]])
            let code = try await flow.code(for: client)
            let redeemed = try await OAuthEndpointKit.post(
                flow.http,
                [
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURI),
                    ("code_verifier", Flow.verifier), ("client_id", client.clientID), ("client_secret", client.secret ?? ""),
                ]
            )
            let refresh = try #require(redeemed.string("refresh_token"), "\(redeemed.text)")
            let json = try JSONSerialization.data(withJSONObject: [
                "refresh_token": refresh, "client_id": client.clientID, "client_secret": client.secret ?? "",
            ])
            let response = try await flow.http.execute(
                uri: Flow.refreshPath,
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: json)
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.string("access_token") != nil)
            let wrong = try JSONSerialization.data(withJSONObject: [
                "refresh_token": refresh, "client_id": client.clientID, "client_secret": "wrong",
            ])
            let refused = try await flow.http.execute(
                uri: Flow.refreshPath,
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: wrong)
            )
            #expect(refused.status == .unauthorized && refused.string("error") == "invalid_client", "\(refused.text)")
        }
    }
}
