import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The refresh grant at the authorization boundaries: refresh narrows the scope to what the
/// client may still have today (rule 3), and revocation wins races with refreshes in flight (rule 9).
@Suite("Token endpoint: refresh at the authorization boundaries")
struct RefreshBoundaryTests {
    /// Replaces the client's allowed scopes through the admin API.
    static func setScopes(_ flow: FlowContext, _ client: FlowClient, _ scopes: [String]) async throws {
        let response = try await flow.http.admin(
            .put,
            "/oauth/clients/\(client.clientID)",
            token: try await flow.http.adminToken(),
            json: ["scopes": scopes]
        )
        try #require(response.status == .ok, "\(response.text)")
    }

    @Test(
        "when the admin removed a scope from a confidential client then a refresh yields tokens without it and asking for it is invalid_scope",
        arguments: TestDatabase.all
    )
    func confidentialRefreshNarrows(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let refresh = try #require(try await flow.tokens(for: client, scope: "openid profile email")["refresh_token"] as? String)
            try await Self.setScopes(flow, client, ["openid", "email", "offline_access"])

            let asked = try await flow.refresh(refresh, client: client, scope: "openid profile")
            #expect(asked.status == .badRequest, "\(asked.text)")
            #expect(asked.string("error") == "invalid_scope", "\(asked.text)")

            let narrowed = try await flow.refresh(refresh, client: client)
            #expect(narrowed.status == .ok, "\(narrowed.text)")
            #expect(narrowed.string("scope") == "openid email", "\(narrowed.text)")
            let access = try #require(narrowed.string("access_token"))
            #expect(try jwtSegments(access).payload["scope"] as? String == "openid email")
        }
    }

    @Test(
        "when the admin removed a scope from a public client then the rotated refresh token no longer carries it either",
        arguments: TestDatabase.all
    )
    func publicRotationNarrows(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makePublicClient()
            let refresh = try #require(try await flow.tokens(for: client, scope: "openid profile")["refresh_token"] as? String)
            try await Self.setScopes(flow, client, ["openid", "email", "offline_access"])
            let rotated = try await flow.refresh(refresh, client: client)
            #expect(rotated.status == .ok, "\(rotated.text)")
            #expect(rotated.string("scope") == "openid", "\(rotated.text)")
            let successor = try #require(rotated.string("refresh_token"))
            let introspection = try await flow.introspect(successor, caller: flow.adminClient).json()
            #expect(introspection["scope"] as? String == "openid", "\(introspection)")
            // Putting the scope back later does not widen the grant beyond what it now holds.
            try await Self.setScopes(flow, client, Flow.scopes)
            let again = try await flow.refresh(successor, client: client)
            #expect(again.string("scope") == "openid", "\(again.text)")
        }
    }

    /// Runs `count` refreshes with `refreshToken` at once and `/oauth/revoke` among them; returns
    /// every token the successful refreshes handed out.
    static func raceRevocation(_ flow: FlowContext, client: FlowClient, refreshToken: String, count: Int) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<count {
                group.addTask {
                    let response = try await flow.refresh(refreshToken, client: client)
                    guard response.status == .ok else {
                        #expect(response.string("error") == "invalid_grant", "\(response.text)")
                        return []
                    }
                    return [response.string("access_token"), response.string("refresh_token")].compactMap { $0 }
                }
                if index == count / 3 {
                    group.addTask {
                        let revoked = try await flow.revoke(refreshToken, client: client)
                        #expect(revoked.status == .ok, "\(revoked.text)")
                        return []
                    }
                }
            }
            var issued: [String] = []
            for try await tokens in group { issued += tokens }
            return issued
        }
    }

    @Test(
        "when many refreshes of a confidential client race a revocation then nothing of the grant is active afterwards",
        arguments: TestDatabase.all
    )
    func confidentialRefreshesRaceRevoke(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let first = try await flow.tokens(for: client)
            let refresh = try #require(first["refresh_token"] as? String)
            let issued = try await Self.raceRevocation(flow, client: client, refreshToken: refresh, count: 30)
            for token in issued + [refresh, try #require(first["access_token"] as? String)] {
                #expect(try await !flow.isActive(token), "a token of the revoked grant is active")
            }
            RefreshTokenGrantTests.expectInvalidGrant(try await flow.refresh(refresh, client: client), "after the revocation")
        }
    }

    @Test("when a public client's refreshes race a revocation then nothing of the grant is active afterwards", arguments: TestDatabase.all)
    func publicRefreshesRaceRevoke(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makePublicClient()
            let refresh = try #require(try await flow.tokens(for: client)["refresh_token"] as? String)
            let issued = try await Self.raceRevocation(flow, client: client, refreshToken: refresh, count: 30)
            for token in issued { #expect(try await !flow.isActive(token), "a token of the revoked grant is active") }
        }
    }
}
