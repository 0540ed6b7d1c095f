import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Rotate-secret and the secrets sub-resource (pinned rule 8: a rotated secret keeps working
/// 4 hours, at most 2 active, the last one cannot be removed), and the proof that a secret is
/// never shown or logged after its one-time return.
@Suite("Admin API: client secrets")
struct AdminClientSecretsTests {
    /// The members of `dto.OAuthClientSecretResponse`, plus `last_four`.
    static let secretItemFields: Set<String> = [
        "secret_id", "status", "description", "last_four", "created_at", "updated_at", "expires_at", "last_used_at",
    ]

    // MARK: rotate

    @Test("when a secret is rotated then the answer is 200 with client_id, new_secret and rotated_at, not cached", arguments: TestDatabase.all)
    func rotateResponse(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let response = try await admin.call(.post, "/oauth/clients/\(service.clientID)/rotate-secret")
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["code"] as? Int == 0)
            #expect(response.headers[.cacheControl]?.contains("no-store") == true)
            let data = try response.data()
            #expect(Set(data.keys) == ["client_id", "new_secret", "rotated_at"])
            #expect(data["client_id"] as? String == service.clientID)
            let newSecret = try #require(data["new_secret"] as? String)
            #expect(newSecret.hasPrefix("custos_cs_"))
            #expect(newSecret.count >= "custos_cs_".count + 43)
            #expect(newSecret != service.secret)
            #expect(isRFC3339(data["rotated_at"] as? String ?? ""), "rotated_at \(data["rotated_at"] ?? "nil")")
            // GET now shows the new secret's last four characters.
            #expect(try await admin.client(service.clientID)["secret_last_four"] as? String == String(newSecret.suffix(4)))
        }
    }

    @Test("when a secret is rotated then the new one works and the old one keeps working for 4 hours only", arguments: TestDatabase.all)
    func rotateGracePeriod(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let response = try await admin.call(.post, "/oauth/clients/\(service.clientID)/rotate-secret")
            let newSecret = try #require(try response.data()["new_secret"] as? String)
            try await admin.expectTokenIssued(service.clientID, newSecret, "new secret right after rotation")
            try await admin.expectTokenIssued(service.clientID, service.secret, "old secret right after rotation")

            admin.server.clock.advance(by: 4 * 3600 - 60)
            try await admin.expectTokenIssued(service.clientID, service.secret, "old secret a minute before the grace ends")

            admin.server.clock.advance(by: 61)  // 4 h + 1 s after the rotation
            try await admin.expectInvalidClient(service.clientID, service.secret, "old secret after 4 h")
            try await admin.expectTokenIssued(service.clientID, newSecret, "new secret after 4 h")
        }
    }

    @Test("when an unknown client's secret is rotated then the answer is 404", arguments: TestDatabase.all)
    func rotateUnknown(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            expectSimpleError(try await admin.call(.post, "/oauth/clients/cl_nope/rotate-secret"), .notFound, "rotate unknown")
            expectSimpleError(try await admin.call(.get, "/oauth/clients/cl_nope/secrets"), .notFound, "list unknown")
            expectSimpleError(try await admin.call(.post, "/oauth/clients/cl_nope/secrets"), .notFound, "add unknown")
        }
    }

    // MARK: list

    @Test("when secrets are listed then only metadata and last_four appear, never a secret value", arguments: TestDatabase.all)
    func listSecrets(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let added = try await admin.addSecret(service.clientID)
            let response = try await admin.call(.get, "/oauth/clients/\(service.clientID)/secrets")
            #expect(response.status == .ok)
            #expect(try response.json()["code"] as? Int == 0)
            let items = try #require(try response.data()["secrets"] as? [[String: Any]])
            #expect(items.count == 2)
            for item in items {
                #expect(Set(item.keys).isSubset(of: Self.secretItemFields), "unexpected members \(Set(item.keys).subtracting(Self.secretItemFields))")
                #expect(item["secret_value"] == nil && item["secret"] == nil && item["digest"] == nil)
                #expect(item["status"] as? String == "active")
            }
            #expect(Set(items.compactMap { $0["last_four"] as? String }) == [String(service.secret.suffix(4)), String(added.value.suffix(4))])
            #expect(items.contains { $0["secret_id"] as? String == added.id })
            for value in [service.secret, added.value] {
                #expect(!response.text.contains(value), "the secret list returned a secret value")
                #expect(!response.text.contains(value.dropFirst("custos_cs_".count).prefix(16)), "the list returned part of a secret")
            }
        }
    }

    @Test("when a secret has been rotated then the list shows it as rotated with an expiry 4 hours later", arguments: TestDatabase.all)
    func listShowsRotated(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            _ = try await admin.call(.post, "/oauth/clients/\(service.clientID)/rotate-secret")
            let items = try await admin.secretList(service.clientID)
            let old = try #require(items.first { $0["last_four"] as? String == String(service.secret.suffix(4)) })
            #expect(old["status"] as? String == "rotated")
            let formatter = ISO8601DateFormatter()
            let expires = try #require(formatter.date(from: old["expires_at"] as? String ?? ""))
            #expect(abs(expires.timeIntervalSince(admin.server.clock.now) - 4 * 3600) < 2, "expires_at \(expires)")
            #expect(items.filter { $0["status"] as? String == "active" }.count == 1)
        }
    }

    // MARK: add

    @Test("when a secret is added then the answer is 201 with secret_value, and the new secret authenticates", arguments: TestDatabase.all)
    func addSecretWorks(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let response = try await admin.call(.post, "/oauth/clients/\(service.clientID)/secrets", json: ["description": "ci"])
            #expect(response.status == .created, "\(response.text)")
            #expect(response.headers[.cacheControl]?.contains("no-store") == true)
            let data = try response.data()
            #expect(Set(data.keys).isSuperset(of: ["secret_id", "secret_value", "status", "created_at"]), "\(data.keys)")
            let value = try #require(data["secret_value"] as? String)
            #expect(value.hasPrefix("custos_cs_"))
            #expect(value != service.secret)
            #expect(data["status"] as? String == "active")
            #expect(isULID(data["secret_id"] as? String ?? ""))
            try await admin.expectTokenIssued(service.clientID, value, "added secret")
            try await admin.expectTokenIssued(service.clientID, service.secret, "first secret")
            // Without a body the add works too.
            _ = try await admin.call(.delete, "/oauth/clients/\(service.clientID)/secrets/\(try #require(data["secret_id"] as? String))")
            let bare = try await admin.call(.post, "/oauth/clients/\(service.clientID)/secrets")
            #expect(bare.status == .created, "add without a body: \(bare.text)")
        }
    }

    @Test("when a third secret would be active then add answers 409", arguments: TestDatabase.all)
    func thirdActiveSecretConflicts(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            _ = try await admin.addSecret(service.clientID)
            let response = try await admin.call(.post, "/oauth/clients/\(service.clientID)/secrets", json: ["description": "third"])
            expectSimpleError(response, .conflict, "third active secret")
            #expect(try await admin.secretList(service.clientID).count == 2, "the refused secret was stored")
        }
    }

    @Test(
        "when several secrets are added at the same moment then one fits and the rest get 409: never more than two active",
        arguments: TestDatabase.all
    )
    func concurrentAdds(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let add: @Sendable (AdminSession) async throws -> TestResponse = {
                try await $0.call(.post, "/oauth/clients/\(service.clientID)/secrets")
            }
            let codes = try await admin.concurrentStatusCodes(Array(repeating: add, count: 6))
            #expect(codes.sorted() == [201, 409, 409, 409, 409, 409], "\(codes)")
            let active = try await admin.secretList(service.clientID).filter { $0["status"] as? String == "active" }
            #expect(active.count == 2)
        }
    }

    @Test("when both active secrets are deleted at the same moment then one delete is refused: a secret always remains", arguments: TestDatabase.all)
    func concurrentDeletes(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            _ = try await admin.addSecret(service.clientID)
            let ids = try await admin.secretList(service.clientID).compactMap { $0["secret_id"] as? String }
            try #require(ids.count == 2)
            let codes = try await admin.concurrentStatusCodes(
                ids.map { id in { try await $0.call(.delete, "/oauth/clients/\(service.clientID)/secrets/\(id)") } }
            )
            #expect(codes.sorted() == [204, 400], "\(codes)")
            #expect(try await admin.secretList(service.clientID).count == 1)
        }
    }

    @Test("when a public client's secret is rotated or added then the answer is 400", arguments: TestDatabase.all)
    func publicClientHasNoSecrets(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await admin.create(clientBody(["is_confidential": false]))["client_id"] as? String)
            expectSimpleError(try await admin.call(.post, "/oauth/clients/\(id)/rotate-secret"), .badRequest, "rotate public")
            expectSimpleError(try await admin.call(.post, "/oauth/clients/\(id)/secrets"), .badRequest, "add public")
            #expect(try await admin.secretList(id).isEmpty)
        }
    }

    // MARK: delete and deactivate

    @Test("when one of two secrets is deleted then the answer is 204 and that secret stops working", arguments: TestDatabase.all)
    func deleteSecret(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let added = try await admin.addSecret(service.clientID)
            let response = try await admin.call(.delete, "/oauth/clients/\(service.clientID)/secrets/\(added.id)")
            #expect(response.status == .noContent, "\(response.text)")
            try await admin.expectInvalidClient(service.clientID, added.value, "deleted secret")
            try await admin.expectTokenIssued(service.clientID, service.secret, "remaining secret")
            let remaining = try await admin.secretList(service.clientID)
            #expect(remaining.count == 1)
            #expect(!remaining.contains { $0["secret_id"] as? String == added.id })
        }
    }

    @Test("when the last active secret is deleted or deactivated then the answer is 400 and it keeps working", arguments: TestDatabase.all)
    func lastSecretIsKept(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let only = try #require(try await admin.secretList(service.clientID).first?["secret_id"] as? String)
            expectSimpleError(
                try await admin.call(.delete, "/oauth/clients/\(service.clientID)/secrets/\(only)"),
                .badRequest,
                "delete last"
            )
            expectSimpleError(
                try await admin.call(.put, "/oauth/clients/\(service.clientID)/secrets/\(only)/deactivate"),
                .badRequest,
                "deactivate last"
            )
            try await admin.expectTokenIssued(service.clientID, service.secret, "the last secret still works")
        }
    }

    @Test("when a secret is deactivated then the answer is 200 with status inactive and it no longer authenticates", arguments: TestDatabase.all)
    func deactivateSecret(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let added = try await admin.addSecret(service.clientID)
            try await admin.expectTokenIssued(service.clientID, added.value, "before deactivation")
            let response = try await admin.call(.put, "/oauth/clients/\(service.clientID)/secrets/\(added.id)/deactivate")
            #expect(response.status == .ok, "\(response.text)")
            let data = try response.data()
            #expect(data["status"] as? String == "inactive")
            #expect(data["secret_id"] as? String == added.id)
            #expect(data["secret_value"] == nil)
            #expect(!response.text.contains(added.value))
            try await admin.expectInvalidClient(service.clientID, added.value, "deactivated secret")
            try await admin.expectTokenIssued(service.clientID, service.secret, "the other secret")
            let listed = try await admin.secretList(service.clientID).first { $0["secret_id"] as? String == added.id }
            #expect(listed?["status"] as? String == "inactive")
        }
    }

    @Test("when an unknown secret id is deleted or deactivated then the answer is 404", arguments: TestDatabase.all)
    func unknownSecret(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let other = try await admin.createServiceClient(name: "Other")
            let othersSecret = try #require(try await admin.secretList(other.clientID).first?["secret_id"] as? String)
            for secretID in ["01HZZZZZZZZZZZZZZZZZZZZZZZ", othersSecret] {
                expectSimpleError(
                    try await admin.call(.delete, "/oauth/clients/\(service.clientID)/secrets/\(secretID)"),
                    .notFound,
                    "delete \(secretID)"
                )
                expectSimpleError(
                    try await admin.call(.put, "/oauth/clients/\(service.clientID)/secrets/\(secretID)/deactivate"),
                    .notFound,
                    "deactivate \(secretID)"
                )
            }
            try await admin.expectTokenIssued(other.clientID, other.secret, "another client's secret is untouched")
        }
    }

    // MARK: never shown again

    @Test(
        "when a client is created, read, listed, audited and used then its secret appears in no response and no log line",
        arguments: TestDatabase.all
    )
    func secretNeverLeaks(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient(name: "Leak check")
            let rotated = try #require(
                try await admin.call(.post, "/oauth/clients/\(service.clientID)/rotate-secret").data()["new_secret"] as? String
            )
            let added = try await admin.addSecret(service.clientID)
            let accessToken = try await admin.http.clientCredentialsToken(clientID: service.clientID, secret: rotated)
            try await admin.expectTokenIssued(service.clientID, service.secret, "old secret via Basic")
            _ = try await admin.call(.put, "/oauth/clients/\(service.clientID)", json: ["name": "Leak check 2"])

            let reads = [
                try await admin.call(.get, "/oauth/clients/\(service.clientID)"),
                try await admin.call(.get, "/oauth/clients"),
                try await admin.call(.get, "/oauth/clients?name=leak"),
                try await admin.call(.get, "/oauth/clients/\(service.clientID)/audit-logs"),
                try await admin.call(.get, "/oauth/clients/\(service.clientID)/secrets"),
                try await admin.call(.get, "/oauth/clients/\(service.clientID)/tokens"),
                try await admin.call(.get, "/oauth/clients/\(service.clientID)/stats"),
            ]
            let secrets = [service.secret, rotated, added.value, TestServer.adminClientSecret]
            for response in reads {
                #expect(response.status == .ok, "\(response.text)")
                for secret in secrets {
                    #expect(!response.text.contains(secret), "a read returned a secret: \(response.text.prefix(300))")
                }
                #expect(!response.text.contains(accessToken), "a read returned an access token")
            }
            let logs = admin.server.logs.text
            #expect(!logs.isEmpty, "the log capture recorded nothing, so it proves nothing")
            for secret in secrets + [accessToken, admin.token] {
                #expect(!logs.contains(secret), "a log line holds a secret or token")
                #expect(!logs.contains(String(secret.suffix(24))), "a log line holds part of a secret or token")
            }
        }
    }
}
