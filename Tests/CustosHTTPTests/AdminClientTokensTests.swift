import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Token statistics, the active-token list, revocation (with `grace_period`), revocation of a
/// user's tokens, and the audit log of a client.
@Suite("Admin API: client tokens and audit log")
struct AdminClientTokensTests {
    /// A client holding two access tokens from `client_credentials`.
    private func clientWithTwoTokens(_ admin: AdminSession) async throws -> (client: CreatedTestClient, tokens: [String]) {
        let service = try await admin.createServiceClient()
        let first = try await admin.http.clientCredentialsToken(clientID: service.clientID, secret: service.secret)
        let second = try await admin.http.clientCredentialsToken(clientID: service.clientID, secret: service.secret)
        return (service, [first, second])
    }

    private func activeTokens(
        _ admin: AdminSession,
        _ clientID: String,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws -> Int
    {
        let response = try await admin.call(.get, "/oauth/clients/\(clientID)/stats")
        try #require(response.status == .ok, "\(response.text)", sourceLocation: sourceLocation)
        return try #require(try response.data()["active_tokens"] as? Int, sourceLocation: sourceLocation)
    }

    /// Whether a (non-admin) token is still valid: the admin API tells a valid token without the
    /// admin scope (403) from a revoked one (401).
    private func isStillValid(_ admin: AdminSession, _ token: String) async throws -> Bool {
        let response = try await admin.http.admin(.get, "/oauth/clients", token: token)
        #expect([401, 403].contains(Int(response.status.code)), "\(response.status): \(response.text)")
        return response.status == .forbidden
    }

    // MARK: stats and list

    @Test("when a client holds two tokens then stats reports active_tokens 2", arguments: TestDatabase.all)
    func stats(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let fresh = try await admin.createServiceClient(name: "Unused")
            #expect(try await activeTokens(admin, fresh.clientID) == 0)

            let (service, _) = try await clientWithTwoTokens(admin)
            let response = try await admin.call(.get, "/oauth/clients/\(service.clientID)/stats")
            #expect(response.status == .ok)
            #expect(try response.json()["code"] as? Int == 0)
            let data = try response.data()
            #expect(Set(data.keys) == ["client_id", "active_tokens", "active_refresh_tokens", "last_request_at"])
            #expect(data["client_id"] as? String == service.clientID)
            #expect(data["active_tokens"] as? Int == 2)
            #expect(data["active_refresh_tokens"] as? Int == 0)
            #expect(isRFC3339(data["last_request_at"] as? String ?? ""), "last_request_at \(data["last_request_at"] ?? "nil")")
            // Tokens that expire stop counting.
            admin.server.clock.advance(by: 16 * 60)
            let later = try await admin.withFreshToken()
            #expect(try await activeTokens(later, service.clientID) == 0)
        }
    }

    @Test("when a client's tokens are listed then two items appear without the token text", arguments: TestDatabase.all)
    func tokenList(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let (service, tokens) = try await clientWithTwoTokens(admin)
            let response = try await admin.call(.get, "/oauth/clients/\(service.clientID)/tokens")
            #expect(response.status == .ok, "\(response.text)")
            let json = try response.json()
            #expect(json["code"] as? Int == 0)
            #expect(json["total"] as? Int == 2)
            #expect((json["pagination"] as? [String: Any])?["total"] as? Int == 2)
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count == 2)
            let jtis = try tokens.map { try #require(try jwtSegments($0).payload["jti"] as? String) }
            for item in items {
                #expect(item["token_type"] as? String == "access_token")
                #expect(item["scope"] as? String == "openid")
                #expect(isRFC3339(item["expires_at"] as? String ?? ""))
                for forbidden in ["access_token", "token", "value", "digest"] { #expect(item[forbidden] == nil, "item has \(forbidden)") }
            }
            #expect(Set(items.compactMap { $0["id"] as? String }).isSubset(of: Set(jtis)))
            for token in tokens {
                #expect(!response.text.contains(token), "the token list returned a token")
                let signature = try #require(token.split(separator: ".").last)
                #expect(!response.text.contains(signature), "the token list returned a token signature")
            }
            // Pagination applies to the token list too.
            let paged = try await admin.call(.get, "/oauth/clients/\(service.clientID)/tokens?page=2&page_size=1")
            #expect((try paged.json()["items"] as? [[String: Any]])?.count == 1)
            #expect((try paged.json()["pagination"] as? [String: Any])?["has_prev"] as? Bool == true)
        }
    }

    @Test("when stats, tokens or revoke name an unknown client then the answer is 404", arguments: TestDatabase.all)
    func unknownClient(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            expectSimpleError(try await admin.call(.get, "/oauth/clients/cl_nope/stats"), .notFound, "stats")
            expectSimpleError(try await admin.call(.get, "/oauth/clients/cl_nope/tokens"), .notFound, "tokens")
            expectSimpleError(try await admin.call(.delete, "/oauth/clients/cl_nope/tokens"), .notFound, "revoke")
            expectSimpleError(try await admin.call(.get, "/oauth/clients/cl_nope/audit-logs"), .notFound, "audit-logs")
        }
    }

    // MARK: revoke

    @Test("when a client's tokens are revoked then the counts are returned and the tokens stop working at once", arguments: TestDatabase.all)
    func revokeNow(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let (service, tokens) = try await clientWithTwoTokens(admin)
            for token in tokens { #expect(try await isStillValid(admin, token), "valid before revocation") }
            let response = try await admin.call(.delete, "/oauth/clients/\(service.clientID)/tokens")
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["code"] as? Int == 0)
            let data = try response.data()
            #expect(data["revoked_access_tokens"] as? Int == 2)
            #expect(data["revoked_refresh_tokens"] as? Int == 0)
            #expect(try await activeTokens(admin, service.clientID) == 0)
            let list = try await admin.call(.get, "/oauth/clients/\(service.clientID)/tokens")
            #expect(try list.json()["total"] as? Int == 0)
            for token in tokens { #expect(try await isStillValid(admin, token) == false, "revoked token still accepted") }
            // Revoking again finds nothing left; the client itself can get new tokens.
            let again = try await admin.call(.delete, "/oauth/clients/\(service.clientID)/tokens")
            #expect(try again.data()["revoked_access_tokens"] as? Int == 0)
            try await admin.expectTokenIssued(service.clientID, service.secret, "after revocation")
        }
    }

    @Test("when tokens are revoked with grace_period=60 then they stay active until 60 seconds have passed", arguments: TestDatabase.all)
    func revokeWithGrace(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let (service, tokens) = try await clientWithTwoTokens(admin)
            let response = try await admin.call(.delete, "/oauth/clients/\(service.clientID)/tokens?grace_period=60")
            #expect(response.status == .ok, "\(response.text)")
            let data = try response.data()
            #expect(data["revoked_access_tokens"] as? Int == 2)
            #expect(data["grace_period"] as? Int == 60)
            #expect(try await activeTokens(admin, service.clientID) == 2, "active right after revocation with grace")
            admin.server.clock.advance(by: 59)
            #expect(try await activeTokens(admin, service.clientID) == 2, "active 59 s later")
            for token in tokens { #expect(try await isStillValid(admin, token), "usable within the grace period") }
            admin.server.clock.advance(by: 2)  // 61 s after the revocation
            #expect(try await activeTokens(admin, service.clientID) == 0, "revoked 61 s later")
            for token in tokens { #expect(try await isStillValid(admin, token) == false, "usable after the grace period") }
        }
    }

    @Test(
        "when grace_period is negative, not an integer or too large then revoke answers 400 naming it and revokes nothing",
        arguments: TestDatabase.all
    )
    func revokeInvalidGrace(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let (service, _) = try await clientWithTwoTokens(admin)
            for value in ["-1", "abc", "1.5", "2592001"] {
                let response = try await admin.call(.delete, "/oauth/clients/\(service.clientID)/tokens?grace_period=\(value)")
                expectSimpleError(response, .badRequest, naming: ["grace_period"], "grace_period=\(value)")
            }
            #expect(try await activeTokens(admin, service.clientID) == 2)
        }
    }

    @Test("when a user's tokens are revoked and the user has none then the answer is 200 with zero counts", arguments: TestDatabase.all)
    func revokeUserTokens(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let (service, _) = try await clientWithTwoTokens(admin)
            let response = try await admin.call(.delete, "/oauth/tokens/user/u1")
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["code"] as? Int == 0)
            let data = try response.data()
            #expect(data["revoked_access_tokens"] as? Int == 0)
            #expect(data["revoked_refresh_tokens"] as? Int == 0)
            // Client tokens (no user) are untouched.
            #expect(try await activeTokens(admin, service.clientID) == 2)
            // The operation needs an administrator too.
            let anonymous = try await admin.http.admin(.delete, "/oauth/tokens/user/u1", token: nil)
            expectSimpleError(anonymous, .unauthorized, "revoke user tokens without a token")
        }
    }

    // MARK: audit log

    @Test(
        "when a client is created, updated, rotated and a secret deleted then each appears in its audit log by the admin",
        arguments: TestDatabase.all
    )
    func auditLog(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient(name: "Audited")
            let update = try await admin.call(
                .put,
                "/oauth/clients/\(service.clientID)",
                json: ["name": "Audited 2", "website": "https://audited.example.com"]
            )
            #expect(update.status == .ok, "\(update.text)")
            let rotate = try await admin.call(.post, "/oauth/clients/\(service.clientID)/rotate-secret")
            let newSecret = try #require(try rotate.data()["new_secret"] as? String)
            let rotatedID = try #require(
                try await admin.secretList(service.clientID).first { $0["status"] as? String == "rotated" }?["secret_id"] as? String
            )
            let deleteSecret = try await admin.call(.delete, "/oauth/clients/\(service.clientID)/secrets/\(rotatedID)")
            #expect(deleteSecret.status == .noContent, "\(deleteSecret.text)")

            let response = try await admin.call(.get, "/oauth/clients/\(service.clientID)/audit-logs?page_size=100")
            #expect(response.status == .ok, "\(response.text)")
            let json = try response.json()
            #expect(json["code"] as? Int == 0)
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(json["total"] as? Int == items.count)
            let actions = items.compactMap { $0["action"] as? String }
            for action in ["client.create", "client.update", "client.secret.rotate", "client.secret.delete"] {
                #expect(actions.contains(action), "audit log lacks \(action): \(actions)")
            }
            for item in items {
                #expect(item["operator_id"] as? String == TestServer.adminClientID, "\(item)")
                #expect(item["target_id"] as? String == service.clientID)
                #expect(isRFC3339(item["created_at"] as? String ?? "") || item["timestamp"] is Int)
            }
            let updateEntry = try #require(items.first { $0["action"] as? String == "client.update" })
            let changed = try #require(updateEntry["changed_fields"] as? [String])
            #expect(Set(changed) == ["name", "website"], "changed_fields \(changed)")
            #expect(changed.count == 2)
            for secret in [service.secret, newSecret] {
                #expect(!response.text.contains(secret), "the audit log holds a secret value")
                #expect(!response.text.contains(secret.dropFirst("custos_cs_".count).prefix(16)), "the audit log holds part of a secret")
            }
        }
    }

    @Test(
        "when a secret is added and deactivated and tokens are revoked then those changes are audited too, and a clone is audited on the clone",
        arguments: TestDatabase.all
    )
    func auditOtherChanges(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let (secretID, secretValue) = try await admin.addSecret(service.clientID)
            #expect(try await admin.call(.put, "/oauth/clients/\(service.clientID)/secrets/\(secretID)/deactivate").status == .ok)
            #expect(try await admin.call(.delete, "/oauth/clients/\(service.clientID)/tokens?grace_period=5").status == .ok)
            let clone = try await admin.call(.post, "/oauth/clients/\(service.clientID)/clone")
            let cloneID = try #require(try clone.data()["client_id"] as? String)
            let cloneSecret = try #require(try clone.data()["client_secret"] as? String)

            let response = try await admin.call(.get, "/oauth/clients/\(service.clientID)/audit-logs")
            let actions = (try response.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.count == 4, "\(actions)")
            for action in ["client.create", "client.secret.create", "client.secret.deactivate", "client.tokens.revoke"] {
                #expect(actions.contains(action), "audit log lacks \(action): \(actions)")
            }
            #expect(!response.text.contains(secretValue))
            let cloneLog = try await admin.call(.get, "/oauth/clients/\(cloneID)/audit-logs")
            let cloneItems = try cloneLog.json()["items"] as? [[String: Any]] ?? []
            #expect(cloneItems.count == 1)
            #expect(cloneItems.first?["operator_id"] as? String == TestServer.adminClientID)
            #expect(!cloneLog.text.contains(cloneSecret))
        }
    }

    @Test("when an update changes nothing but status then changed_fields lists only status", arguments: TestDatabase.all)
    func auditChangedFieldsExact(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            _ = try await admin.call(.put, "/oauth/clients/\(service.clientID)", json: ["status": "suspended", "name": "Service"])
            let response = try await admin.call(.get, "/oauth/clients/\(service.clientID)/audit-logs")
            let items = try #require(try response.json()["items"] as? [[String: Any]])
            let update = try #require(items.first { $0["action"] as? String == "client.update" })
            #expect(update["changed_fields"] as? [String] == ["status"], "an unchanged name must not be listed")
        }
    }
}
