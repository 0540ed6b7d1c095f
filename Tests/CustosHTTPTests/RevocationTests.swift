import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /oauth/revoke` (RFC 7009): form or JSON; 200 for unknown tokens; a refresh token takes
/// its grant's access tokens with it; another client's token is left alone; the answer comes
/// only once the revocation is stored.
@Suite("Token revocation")
struct RevocationTests {
    @Test("when an unknown token is revoked then the answer is 200", arguments: TestDatabase.all)
    func unknownToken(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            for token in ["unknown", "custos_rt_" + String(repeating: "A", count: 43), "eyJhbGciOiJub25lIn0.e30."] {
                let response = try await flow.revoke(token, client: client)
                #expect(response.status == .ok, "\(token): \(response.status) \(response.text)")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            let hinted = try await flow.revoke("unknown", client: client, hint: "refresh_token")
            #expect(hinted.status == .ok)
        }
    }

    @Test("when the caller does not authenticate then 401 invalid_client and nothing is revoked", arguments: TestDatabase.all)
    func unauthenticated(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            let response = try await flow.http.execute(
                uri: Flow.revokePath,
                method: .post,
                headers: [.contentType: OAuthEndpointKit.formType],
                body: ByteBuffer(string: FormEncoding.encode([("token", access)]))
            )
            #expect(response.status == .unauthorized, "\(response.text)")
            #expect(response.string("error") == "invalid_client")
            let wrong = try await flow.revoke(access, client: FlowClient(clientID: client.clientID, secret: "wrong", redirectURI: client.redirectURI))
            #expect(wrong.status == .unauthorized)
            #expect(try await flow.isActive(access))
        }
    }

    @Test("when an access token is revoked then it is inactive at once", arguments: TestDatabase.all)
    func accessToken(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            #expect(try await flow.isActive(access))
            let response = try await flow.revoke(access, client: client)
            #expect(response.status == .ok, "\(response.text)")
            #expect(try await !flow.isActive(access))
            // Revoking again is still 200.
            #expect(try await flow.revoke(access, client: client).status == .ok)
        }
    }

    @Test("when a refresh token is revoked then every access token of its grant is revoked too", arguments: TestDatabase.all)
    func refreshCascades(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let body = try await flow.tokens(for: client)
            let refresh = try #require(body["refresh_token"] as? String)
            let first = try #require(body["access_token"] as? String)
            let second = try #require(try await flow.refresh(refresh, client: client).string("access_token"))
            // A token of another grant of the same client and user is not touched.
            let unrelated = try #require(try await flow.tokens(for: client)["access_token"] as? String)

            let response = try await flow.revoke(refresh, client: client)
            #expect(response.status == .ok, "\(response.text)")
            #expect(try await !flow.isActive(refresh))
            #expect(try await !flow.isActive(first), "the code's access token")
            #expect(try await !flow.isActive(second), "the refreshed access token")
            #expect(try await flow.isActive(unrelated), "another grant's token stays active")
        }
    }

    @Test("when a client revokes another client's token then the answer is 200 and the token stays active", arguments: TestDatabase.all)
    func otherClientsToken(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let owner = try await flow.makeClient()
            let other = try await flow.makeClient(name: "Other")
            let publicOther = try await flow.makePublicClient(name: "Public other")
            let body = try await flow.tokens(for: owner)
            let access = try #require(body["access_token"] as? String)
            let refresh = try #require(body["refresh_token"] as? String)
            for caller in [other, publicOther] {
                #expect(try await flow.revoke(access, client: caller).status == .ok)
                #expect(try await flow.revoke(refresh, client: caller).status == .ok)
            }
            #expect(try await flow.isActive(access))
            #expect(try await flow.isActive(refresh))
            #expect(try await flow.refresh(refresh, client: owner).status == .ok)
        }
    }

    @Test("when token_type_hint is wrong then the token is still found and revoked", arguments: TestDatabase.all)
    func wrongHint(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let body = try await flow.tokens(for: client)
            let access = try #require(body["access_token"] as? String)
            #expect(try await flow.revoke(access, client: client, hint: "refresh_token").status == .ok)
            #expect(try await !flow.isActive(access))

            let other = try await flow.tokens(for: client)
            let refresh = try #require(other["refresh_token"] as? String)
            let otherAccess = try #require(other["access_token"] as? String)
            #expect(try await flow.revoke(refresh, client: client, hint: "access_token").status == .ok)
            #expect(try await !flow.isActive(refresh))
            #expect(try await !flow.isActive(otherAccess))

            let third = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            #expect(try await flow.revoke(third, client: client, hint: "something_else").status == .ok)
            #expect(try await !flow.isActive(third))
        }
    }

    @Test("when the revocation is sent as JSON then it works as the form does", arguments: TestDatabase.all)
    func jsonBody(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            let response = try await flow.http.execute(
                uri: Flow.revokePath,
                method: .post,
                headers: [.contentType: "application/json", .authorization: try #require(client.authorization)],
                body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["token": access, "token_type_hint": "access_token"]))
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(try await !flow.isActive(access))

            let publicClient = try await flow.makePublicClient()
            let publicRefresh = try #require(try await flow.tokens(for: publicClient)["refresh_token"] as? String)
            let publicResponse = try await flow.http.execute(
                uri: Flow.revokePath,
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["token": publicRefresh, "client_id": publicClient.clientID]))
            )
            #expect(publicResponse.status == .ok, "\(publicResponse.text)")
            #expect(try await !flow.isActive(publicRefresh))
        }
    }

    @Test("when an admin token is revoked with the bootstrap credentials then the admin API refuses it with 401", arguments: TestDatabase.all)
    func revokedAdminToken(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let token = try await flow.http.adminToken()
            let before = try await flow.http.admin(.get, "/oauth/clients", token: token)
            #expect(before.status == .ok, "\(before.text)")
            let revoked = try await flow.revoke(token, client: flow.adminClient)
            #expect(revoked.status == .ok, "\(revoked.text)")
            let after = try await flow.http.admin(.get, "/oauth/clients", token: token)
            #expect(after.status == .unauthorized, "\(after.status) \(after.text)")
            // A new admin token works: only the revoked one is dead.
            #expect(try await flow.http.admin(.get, "/oauth/clients", token: try await flow.http.adminToken()).status == .ok)
        }
    }
}
