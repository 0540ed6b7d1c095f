import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Get, list, update, delete and clone of `/admin/oauth/clients/{client_id}`.
@Suite("Admin API: client lifecycle")
struct AdminClientLifecycleTests {
    /// `dto.OAuthClientItem` of the swagger file (plus `jwks`, which Custos adds).
    static let clientItemFields: Set<String> = [
        "client_auth_methods", "client_id", "cors_origins", "created_at", "deleted_at", "fapi_profile", "grant_types", "id",
        "is_confidential", "jwks_uri", "logo_url", "name", "privacy_policy", "redirect_uris", "scopes", "secret_last_four",
        "status", "tenant_id", "terms_url", "updated_at", "website",
    ]

    // MARK: get

    @Test("when a client is read then its secret is absent and only secret_last_four (its last 4 characters) is shown", arguments: TestDatabase.all)
    func getShowsLastFourOnly(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let created = try await admin.createServiceClient(name: "Readable")
            let response = try await admin.call(.get, "/oauth/clients/\(created.clientID)")
            #expect(response.status == .ok)
            #expect(try response.json()["code"] as? Int == 0)
            let data = try response.data()
            #expect(Self.clientItemFields.isSubset(of: Set(data.keys)), "missing: \(Self.clientItemFields.subtracting(data.keys))")
            #expect(data["client_secret"] == nil)
            #expect(data["secret_last_four"] as? String == String(created.secret.suffix(4)))
            #expect(data["client_id"] as? String == created.clientID)
            #expect(data["name"] as? String == "Readable")
            #expect(isRFC3339(data["created_at"] as? String ?? ""), "created_at \(data["created_at"] ?? "nil")")
            #expect(!response.text.contains(created.secret), "GET returned the secret")
            #expect(!response.text.contains(created.secret.dropFirst("custos_cs_".count).prefix(20)), "GET returned part of the secret")
        }
    }

    @Test("when an unknown client is read then the answer is a 404 SimpleResponse", arguments: TestDatabase.all)
    func getUnknown(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let response = try await admin.call(.get, "/oauth/clients/cl_does_not_exist")
            expectSimpleError(response, .notFound, "unknown client")
        }
    }

    // MARK: list

    @Test("when clients are listed by page then the list envelope and pagination are right", arguments: TestDatabase.all)
    func listPagination(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let existing = try await admin.clientTotal()  // the bootstrap administrator
            for index in 1...4 { _ = try await admin.create(clientBody(["name": "Paged \(index)"])) }
            let total = existing + 4
            let first = try await admin.call(.get, "/oauth/clients?page=1&page_size=2")
            #expect(first.status == .ok)
            let json = try first.json()
            #expect(Set(json.keys).isSuperset(of: ["code", "items", "total", "pagination", "message", "timestamp"]), "\(json.keys)")
            #expect(json["code"] as? Int == 0)
            #expect(json["total"] as? Int == total)
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count == 2)
            let pagination = try #require(json["pagination"] as? [String: Any])
            #expect(pagination["page"] as? Int == 1)
            #expect(pagination["page_size"] as? Int == 2)
            #expect(pagination["total"] as? Int == total)
            #expect(pagination["total_pages"] as? Int == (total + 1) / 2)
            #expect(pagination["has_next"] as? Bool == true)
            #expect(pagination["has_prev"] as? Bool == false)

            let lastPage = (total + 1) / 2
            let last = try await admin.call(.get, "/oauth/clients?page=\(lastPage)&page_size=2")
            let lastJSON = try last.json()
            let lastPagination = try #require(lastJSON["pagination"] as? [String: Any])
            #expect(lastPagination["has_next"] as? Bool == false)
            #expect(lastPagination["has_prev"] as? Bool == true)
            #expect((lastJSON["items"] as? [[String: Any]])?.count == total - 2 * (lastPage - 1))

            // Walking every page yields every client exactly once.
            var seen: [String] = []
            for page in 1...lastPage {
                let response = try await admin.call(.get, "/oauth/clients?page=\(page)&page_size=2")
                seen += (try response.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["client_id"] as? String }
            }
            #expect(seen.count == total)
            #expect(Set(seen).count == total)
            // No item carries a secret value.
            for item in items { #expect(item["client_secret"] == nil) }
        }
    }

    @Test("when the name filter is used then it matches a case-insensitive substring", arguments: TestDatabase.all)
    func listNameFilter(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for name in ["Alpha Portal", "beta portal", "Gamma", "100% Real_Name"] { _ = try await admin.create(clientBody(["name": name])) }
            func names(_ query: String) async throws -> Set<String> {
                let response = try await admin.call(.get, "/oauth/clients?\(query)")
                #expect(response.status == .ok, "\(query): \(response.text)")
                return Set((try response.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
            }
            #expect(try await names("name=PORTAL") == ["Alpha Portal", "beta portal"])
            #expect(try await names("name=alp") == ["Alpha Portal"])
            #expect(try await names("name=zeta").isEmpty)
            let filtered = try await admin.call(.get, "/oauth/clients?name=portal")
            #expect(try filtered.json()["total"] as? Int == 2, "total counts the filtered clients")
            // % and _ are taken literally, not as SQL wildcards.
            #expect(try await names("name=%25") == ["100% Real_Name"])
            #expect(try await names("name=l_n") == ["100% Real_Name"])
        }
    }

    @Test("when the status filter is used then only clients with that status are listed", arguments: TestDatabase.all)
    func listStatusFilter(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let suspended = try await admin.createServiceClient(name: "Suspended one")
            let active = try await admin.createServiceClient(name: "Active one")
            let update = try await admin.call(.put, "/oauth/clients/\(suspended.clientID)", json: ["status": "suspended"])
            #expect(update.status == .ok, "\(update.text)")
            let onlySuspended = try await admin.call(.get, "/oauth/clients?status=suspended")
            let suspendedIDs = (try onlySuspended.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["client_id"] as? String }
            #expect(suspendedIDs == [suspended.clientID])
            #expect(try onlySuspended.json()["total"] as? Int == 1)
            let onlyActive = try await admin.call(.get, "/oauth/clients?status=active&page_size=100")
            let activeItems = try onlyActive.json()["items"] as? [[String: Any]] ?? []
            let activeIDs = activeItems.compactMap { $0["client_id"] as? String }
            #expect(activeIDs.contains(active.clientID))
            #expect(!activeIDs.contains(suspended.clientID))
            #expect(activeItems.allSatisfy { $0["status"] as? String == "active" })
        }
    }

    @Test("when the status filter or paging values are invalid then list answers 400 naming the parameter", arguments: TestDatabase.all)
    func listInvalidQuery(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            expectSimpleError(try await admin.call(.get, "/oauth/clients?status=deleted"), .badRequest, naming: ["status"], "status=deleted")
            expectSimpleError(try await admin.call(.get, "/oauth/clients?page=0"), .badRequest, naming: ["page"], "page=0")
            expectSimpleError(try await admin.call(.get, "/oauth/clients?page=abc"), .badRequest, naming: ["page"], "page=abc")
            expectSimpleError(
                try await admin.call(.get, "/oauth/clients?page_size=0"),
                .badRequest,
                naming: ["page_size"],
                "page_size=0"
            )
        }
    }

    @Test("when page_size exceeds 100 then it is capped at 100", arguments: TestDatabase.all)
    func listPageSizeCapped(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for index in 1...3 { _ = try await admin.create(clientBody(["name": "Client \(index)"])) }
            let response = try await admin.call(.get, "/oauth/clients?page_size=1000")
            #expect(response.status == .ok, "\(response.text)")
            let pagination = try #require(try response.json()["pagination"] as? [String: Any])
            #expect(pagination["page_size"] as? Int == 100)
            let defaulted = try await admin.call(.get, "/oauth/clients")
            #expect((try defaulted.json()["pagination"] as? [String: Any])?["page_size"] as? Int == 20, "default page size")
        }
    }

    // MARK: update

    @Test("when a PUT carries only name then every other field keeps its value", arguments: TestDatabase.all)
    func partialUpdate(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let created = try await admin.create(
                clientBody([
                    "name": "Before", "redirect_uris": ["https://app.example.com/cb", "https://other.example.com/cb"],
                    "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
                    "client_auth_methods": ["client_secret_post"], "scopes": ["openid", "email"],
                    "logo_url": "https://app.example.com/logo.png", "website": "https://app.example.com",
                    "terms_url": "https://app.example.com/terms", "privacy_policy": "https://app.example.com/privacy",
                    "jwks_uri": "https://app.example.com/jwks.json",
                ])
            )
            let id = try #require(created["client_id"] as? String)
            let before = try await admin.client(id)
            let response = try await admin.call(.put, "/oauth/clients/\(id)", json: ["name": "After"])
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["code"] as? Int == 0)
            #expect(try response.data()["name"] as? String == "After")
            let after = try await admin.client(id)
            #expect(after["name"] as? String == "After")
            for field in Self.clientItemFields.subtracting(["name", "updated_at"]) {
                let was = before[field].map { "\($0)" } ?? "nil"
                let now = after[field].map { "\($0)" } ?? "nil"
                #expect(was == now, "\(field) changed from \(was) to \(now)")
            }
            #expect(after["redirect_uris"] as? [String] == ["https://app.example.com/cb", "https://other.example.com/cb"])
            #expect(after["scopes"] as? [String] == ["openid", "email"])
            #expect(after["client_auth_methods"] as? [String] == ["client_secret_post"])
        }
    }

    @Test("when a client is suspended then its token requests fail with 401 invalid_client until it is reactivated", arguments: TestDatabase.all)
    func suspendedClientGetsNoToken(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            try await admin.expectTokenIssued(service.clientID, service.secret, "before suspension")
            let earlier = try await admin.http.clientCredentialsToken(clientID: service.clientID, secret: service.secret)
            expectSimpleError(try await admin.http.admin(.get, "/oauth/clients", token: earlier), .forbidden, "token of an active client")
            let suspend = try await admin.call(.put, "/oauth/clients/\(service.clientID)", json: ["status": "suspended"])
            #expect(suspend.status == .ok, "\(suspend.text)")
            #expect(try suspend.data()["status"] as? String == "suspended")
            try await admin.expectInvalidClient(service.clientID, service.secret, "while suspended")
            // A token it got before is refused as well (401, where a live non-admin token gets 403).
            expectSimpleError(try await admin.http.admin(.get, "/oauth/clients", token: earlier), .unauthorized, "token of a suspended client")
            let resume = try await admin.call(.put, "/oauth/clients/\(service.clientID)", json: ["status": "active"])
            #expect(resume.status == .ok, "\(resume.text)")
            try await admin.expectTokenIssued(service.clientID, service.secret, "after reactivation")
        }
    }

    @Test("when a PUT sets an unknown status then it is refused with 400 naming status", arguments: TestDatabase.all)
    func updateInvalidStatus(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await admin.create(clientBody())["client_id"] as? String)
            for status in ["deleted", "paused"] {
                let response = try await admin.call(.put, "/oauth/clients/\(id)", json: ["status": status])
                expectSimpleError(response, .badRequest, naming: ["status"], "status \"\(status)\"")
            }
            #expect(try await admin.client(id)["status"] as? String == "active")
        }
    }

    @Test("when a PUT breaks a validation rule then it is refused with 400 naming the field and nothing changes", arguments: TestDatabase.all)
    func updateValidation(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let before = try await admin.client(service.clientID)
            let cases: [(String, [String: Any])] = [
                ("redirect_uris", ["redirect_uris": ["https://c.example/cb#frag"]]),
                ("redirect_uris", ["redirect_uris": ["javascript:alert(1)"]]),
                ("redirect_uris", ["redirect_uris": ["http://c.example/cb"]]),
                ("redirect_uris", ["redirect_uris": [String]()]),
                ("name", ["name": "  "]),
                ("name", ["name": String(repeating: "x", count: 201)]),
                ("scopes", ["scopes": ["admin"]]),
                ("grant_types", ["grant_types": ["password"]]),
                ("grant_types", ["is_confidential": false]),  // the client uses client_credentials
                ("client_auth_methods", ["client_auth_methods": ["none"]]),
                ("logo_url", ["logo_url": "http://app.example.com/logo.png"]),
                ("jwks", ["jwks": "{}"]),
                ("fapi_profile", ["fapi_profile": "fapi9"]),
                ("redirect_uris", ["redirect_uris": "https://c/cb"]),
            ]
            for (field, body) in cases {
                let response = try await admin.call(.put, "/oauth/clients/\(service.clientID)", json: body)
                let fields = field == "grant_types" && body["is_confidential"] != nil ? [field, "is_confidential", "client_auth_methods"] : [field]
                expectSimpleError(response, .badRequest, naming: fields, "update \(body)")
            }
            let after = try await admin.client(service.clientID)
            for field in Self.clientItemFields {
                #expect(
                    before[field].map { "\($0)" } == after[field].map { "\($0)" },
                    "\(field) changed by a refused update"
                )
            }
            try await admin.expectTokenIssued(service.clientID, service.secret, "the client still works unchanged")
        }
    }

    @Test("when redirect_uris is updated then cors_origins is derived again", arguments: TestDatabase.all)
    func updateRecomputesCORS(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await admin.create(clientBody())["client_id"] as? String)
            let response = try await admin.call(
                .put,
                "/oauth/clients/\(id)",
                json: ["redirect_uris": ["https://new.example.com/cb", "https://new.example.com/b"]]
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(try await admin.client(id)["cors_origins"] as? [String] == ["https://new.example.com"])
        }
    }

    @Test("when an unknown client is updated then the answer is 404", arguments: TestDatabase.all)
    func updateUnknown(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let response = try await admin.call(.put, "/oauth/clients/cl_nope", json: ["name": "X"])
            expectSimpleError(response, .notFound, "update unknown")
        }
    }

    // MARK: delete

    @Test("when a client is deleted then the answer is 204, it is gone from get and list, and it can get no token", arguments: TestDatabase.all)
    func deleteClient(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient(name: "Doomed")
            let before = try await admin.clientTotal()
            let response = try await admin.call(.delete, "/oauth/clients/\(service.clientID)")
            #expect(response.status == .noContent, "\(response.text)")
            #expect(response.body.readableBytes == 0)
            expectSimpleError(try await admin.call(.get, "/oauth/clients/\(service.clientID)"), .notFound, "get after delete")
            #expect(try await admin.clientTotal() == before - 1)
            let list = try await admin.call(.get, "/oauth/clients?name=Doomed")
            #expect(try list.json()["total"] as? Int == 0)
            try await admin.expectInvalidClient(service.clientID, service.secret, "token request after delete")
            expectSimpleError(try await admin.call(.delete, "/oauth/clients/\(service.clientID)"), .notFound, "second delete")
            expectSimpleError(
                try await admin.call(.put, "/oauth/clients/\(service.clientID)", json: ["name": "Back"]),
                .notFound,
                "update after delete"
            )
        }
    }

    @Test("when a client is deleted then tokens issued before stop working and are no longer counted", arguments: TestDatabase.all)
    func deleteRevokesTokens(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient()
            let token = try await admin.http.clientCredentialsToken(clientID: service.clientID, secret: service.secret)
            let stats = try await admin.call(.get, "/oauth/clients/\(service.clientID)/stats")
            #expect(try stats.data()["active_tokens"] as? Int == 1)
            // While the client exists its token is valid (but not an admin's): 403.
            expectSimpleError(try await admin.http.admin(.get, "/oauth/clients", token: token), .forbidden, "before delete")

            #expect(try await admin.call(.delete, "/oauth/clients/\(service.clientID)").status == .noContent)

            // The token of the deleted admin-created client is refused outright: 401, not 403.
            let after = try await admin.http.admin(.get, "/oauth/clients", token: token)
            expectSimpleError(after, .unauthorized, "token of a deleted client")
            // Stats and token list of the deleted client are gone with it.
            expectSimpleError(try await admin.call(.get, "/oauth/clients/\(service.clientID)/stats"), .notFound, "stats after delete")
            expectSimpleError(try await admin.call(.get, "/oauth/clients/\(service.clientID)/tokens"), .notFound, "tokens after delete")
            // And the server's record of the token says it is no longer active.
            let jti = try #require(try jwtSegments(token).payload["jti"] as? String)
            let record = try #require(try await admin.server.server.storage.token(id: jti, tenant: .default))
            #expect(!record.isActive(at: admin.server.clock.now), "the deleted client's token is still active in storage")
        }
    }

    @Test(
        "when the administrator client itself is deleted then its admin token is refused with 401 (or the delete is refused)",
        arguments: TestDatabase.all
    )
    func deletedAdminTokenRefused(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let response = try await admin.call(.delete, "/oauth/clients/\(TestServer.adminClientID)")
            if response.status == .noContent {
                let refused = try await admin.call(.get, "/oauth/clients")
                expectSimpleError(refused, .unauthorized, "admin token after its client was deleted")
                try await admin.expectInvalidClient(
                    TestServer.adminClientID,
                    TestServer.adminClientSecret,
                    "the deleted admin client asks for a token"
                )
            } else {
                // Refusing to delete the administrator is also sound; then its token keeps working.
                #expect([400, 409].contains(Int(response.status.code)), "\(response.status): \(response.text)")
                #expect(try await admin.call(.get, "/oauth/clients").status == .ok)
            }
        }
    }

    @Test("when an unknown client is deleted then the answer is 404", arguments: TestDatabase.all)
    func deleteUnknown(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            expectSimpleError(try await admin.call(.delete, "/oauth/clients/cl_nope"), .notFound, "delete unknown")
        }
    }

    // MARK: clone

    @Test("when a client is cloned then the copy has a new id and secret, the same settings, and the name gets (clone)", arguments: TestDatabase.all)
    func cloneClient(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let original = try await admin.create(
                serviceClientBody(
                    name: "Origin",
                    [
                        "redirect_uris": ["https://app.example.com/cb", "https://app.example.com/two"],
                        "grant_types": ["client_credentials", "authorization_code"], "scopes": ["openid", "profile"],
                        "client_auth_methods": ["client_secret_basic", "client_secret_post"],
                        "website": "https://app.example.com",
                    ]
                )
            )
            let originalID = try #require(original["client_id"] as? String)
            let originalSecret = try #require(original["client_secret"] as? String)
            let before = try await admin.clientTotal()

            let response = try await admin.call(.post, "/oauth/clients/\(originalID)/clone")
            #expect(response.status == .created, "\(response.text)")
            #expect(try response.json()["code"] as? Int == 0)
            #expect(response.headers[.cacheControl]?.contains("no-store") == true)
            let clone = try response.data()
            #expect(Set(clone.keys).isSuperset(of: createClientResponseFields.subtracting(["jwks"])), "\(clone.keys.sorted())")
            let cloneID = try #require(clone["client_id"] as? String)
            let cloneSecret = try #require(clone["client_secret"] as? String)
            #expect(cloneID != originalID)
            #expect(clone["id"] as? String != original["id"] as? String)
            #expect(cloneSecret.hasPrefix("custos_cs_"))
            #expect(cloneSecret != originalSecret)
            #expect(clone["name"] as? String == "Origin (clone)")
            for field in ["redirect_uris", "scopes", "grant_types", "client_auth_methods", "cors_origins"] {
                #expect(clone[field] as? [String] == original[field] as? [String], "\(field)")
            }
            #expect(clone["status"] as? String == "active")
            #expect(try await admin.clientTotal() == before + 1)
            try await admin.expectTokenIssued(cloneID, cloneSecret, "the clone's own secret")
            try await admin.expectInvalidClient(cloneID, originalSecret, "the original's secret on the clone")
            try await admin.expectTokenIssued(originalID, originalSecret, "the original is untouched")
            #expect(try await admin.client(cloneID)["website"] as? String == "https://app.example.com")
        }
    }

    @Test(
        "when a client with a 200-character name is cloned then the clone's name ends in (clone) and stays within 200 characters",
        arguments: TestDatabase.all
    )
    func cloneLongName(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await admin.create(clientBody(["name": String(repeating: "n", count: 200)]))["client_id"] as? String)
            let response = try await admin.call(.post, "/oauth/clients/\(id)/clone")
            #expect(response.status == .created, "\(response.text)")
            let name = try #require(try response.data()["name"] as? String)
            #expect(name.hasSuffix(" (clone)"))
            #expect(name.count <= 200, "clone name of \(name.count) characters")
            // The clone is valid under the update rules: renaming it to its own name succeeds.
            let cloneID = try #require(try response.data()["client_id"] as? String)
            #expect(try await admin.call(.put, "/oauth/clients/\(cloneID)", json: ["name": name]).status == .ok)
        }
    }

    @Test("when a public client is cloned then the clone is public and gets no secret", arguments: TestDatabase.all)
    func clonePublic(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(
                try await admin.create(clientBody(["is_confidential": false, "redirect_uris": ["com.example.app:/cb"]]))["client_id"]
                    as? String
            )
            let response = try await admin.call(.post, "/oauth/clients/\(id)/clone")
            #expect(response.status == .created, "\(response.text)")
            let clone = try response.data()
            #expect(clone["client_secret"] as? String ?? "" == "")
            #expect(clone["is_confidential"] as? Bool == false)
            #expect(clone["client_auth_methods"] as? [String] == ["none"])
            #expect(clone["redirect_uris"] as? [String] == ["com.example.app:/cb"])
        }
    }

    @Test("when an unknown client is cloned then the answer is 404 and nothing is stored", arguments: TestDatabase.all)
    func cloneUnknown(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let before = try await admin.clientTotal()
            expectSimpleError(try await admin.call(.post, "/oauth/clients/cl_nope/clone"), .notFound, "clone unknown")
            #expect(try await admin.clientTotal() == before)
        }
    }
}
