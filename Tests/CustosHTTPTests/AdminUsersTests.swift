import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/admin/users…`: create, list, get, update, delete, set password, disable and enable, with
/// every status code, and the audit trail of each change.
@Suite("Admin API: users")
struct AdminUsersTests {
    /// A valid create request, with members replaced or added by `overrides`.
    static func userBody(_ username: String = "alice", _ overrides: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = ["username": username, "email": "\(username)@example.com", "password": goodPassword]
        body.merge(overrides) { $1 }
        return body
    }

    static let userItemFields: Set<String> = [
        "id", "tenant_id", "username", "email", "email_verified", "roles", "status", "has_password", "name", "given_name",
        "family_name", "preferred_username", "picture", "locale", "zoneinfo", "phone_number", "phone_number_verified",
        "created_at", "updated_at",
    ]

    /// Stored users (total of the list).
    static func userTotal(_ admin: AdminSession, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let response = try await admin.call(.get, "/users")
        try #require(response.status == .ok, "list failed: \(response.text)", sourceLocation: sourceLocation)
        return try #require(try response.json()["total"] as? Int, sourceLocation: sourceLocation)
    }

    /// Creates a user through the API; fails unless 201. Returns `data`.
    static func createUser(
        _ admin: AdminSession,
        _ body: [String: Any],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let response = try await admin.call(.post, "/users", json: body)
        try #require(response.status == .created, "create failed: \(response.text)", sourceLocation: sourceLocation)
        return try response.data()
    }

    static func auditActions(_ server: TestServer, _ userID: String) async throws -> [String] {
        let page = try await server.server.storage.auditEvents(targetID: userID, tenant: .default, page: PageRequest(pageSize: 100))
        return page.items.map(\.action)
    }

    /// Whether `username` can sign in with `password` through the login form.
    static func canSignIn(_ http: any TestClientProtocol, _ username: String, _ password: String) async throws -> Bool {
        let response = try await TestBrowser(http).signIn(username, password)
        return response.status == .seeOther && response.setCookie(named: BrowserCookieName.session) != nil
    }

    // MARK: create

    @Test(
        "when a user is created then the answer is 201 with the user, has_password true, and never the password or its hash",
        arguments: TestDatabase.all
    )
    func create(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let response = try await admin.call(
                .post,
                "/users",
                json: Self.userBody(
                    "alice",
                    [
                        "name": "Alice Liddell", "given_name": "Alice", "family_name": "Liddell", "locale": "en-GB",
                        "picture": "https://images.example.com/alice.png", "roles": ["admin"], "email_verified": true,
                        "address": ["locality": "Oxford", "country": "GB"],
                    ]
                )
            )
            #expect(response.status == .created, "\(response.text)")
            #expect(try response.json()["code"] as? Int == 0)
            let data = try response.data()
            #expect(Self.userItemFields.isSubset(of: Set(data.keys)), "missing: \(Self.userItemFields.subtracting(data.keys))")
            #expect(isULID(data["id"] as? String ?? ""), "id \(data["id"] ?? "nil")")
            #expect(data["username"] as? String == "alice")
            #expect(data["email"] as? String == "alice@example.com")
            #expect(data["email_verified"] as? Bool == true)
            #expect(data["name"] as? String == "Alice Liddell")
            #expect(data["given_name"] as? String == "Alice")
            #expect(data["family_name"] as? String == "Liddell")
            #expect(data["locale"] as? String == "en-GB")
            #expect(data["picture"] as? String == "https://images.example.com/alice.png")
            #expect((data["address"] as? [String: Any])?["locality"] as? String == "Oxford")
            #expect(data["roles"] as? [String] == ["admin"])
            #expect(data["status"] as? String == "active")
            #expect(data["has_password"] as? Bool == true)
            #expect(data["tenant_id"] as? String == "default")
            #expect(isRFC3339(data["created_at"] as? String ?? ""))
            #expect(data["password"] == nil)
            #expect(data["password_hash"] == nil)
            #expect(!response.text.contains(goodPassword), "the answer contains the password")
            #expect(!response.text.contains("scrypt"), "the answer contains the hash")
            #expect(!admin.server.logs.text.contains(goodPassword), "the password was logged")

            // GET shows the same, also without the secret.
            let id = try #require(data["id"] as? String)
            let read = try await admin.call(.get, "/users/\(id)")
            #expect(read.status == .ok)
            #expect(try read.data()["username"] as? String == "alice")
            #expect(try read.data()["has_password"] as? Bool == true)
            #expect(!read.text.contains("scrypt"))
            // The stored hash is a PHC scrypt string.
            let stored = try #require(try await admin.server.server.storage.user(id: id, tenant: .default))
            #expect(stored.passwordHash?.hasPrefix("$scrypt$ln=") == true)
        }
    }

    @Test("when a user is created without a password then has_password is false and the default role is user", arguments: TestDatabase.all)
    func createWithoutPassword(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let data = try await Self.createUser(admin, ["username": "nopass", "email": "nopass@example.com"])
            #expect(data["has_password"] as? Bool == false)
            #expect(data["roles"] as? [String] == ["user"])
            #expect(data["email_verified"] as? Bool == false)
            #expect(try await Self.canSignIn(admin.http, "nopass", goodPassword) == false)
        }
    }

    @Test("when a create request has an invalid field then the answer is 400 naming the field and nothing is stored", arguments: TestDatabase.all)
    func createInvalidFields(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let cases: [([String: Any], String, String)] = [
                (["username": "ab"], "username", "username too short"),
                (["username": String(repeating: "a", count: 65)], "username", "username too long"),
                (["username": "bad name"], "username", "username with a space"),
                (["username": "bad<name>"], "username", "username with < >"),
                (["username": "ünïcode"], "username", "username with non-ASCII letters"),
                (["username": ""], "username", "empty username"),
                (["email": "not-an-email"], "email", "email without @"),
                (["email": "a@b@example.com"], "email", "email with two @"),
                (["email": "alice@localhost"], "email", "email domain without a dot"),
                (["email": "alice @example.com"], "email", "email with a space"),
                (["email": ""], "email", "empty email"),
                (["password": "short"], "password", "password of 5 characters"),
                (["password": "1234567"], "password", "password of 7 characters"),
                (["password": "password123"], "password", "common password"),
                (["password": "Password1"], "password", "common password in another case"),
                (["password": String(repeating: "x", count: 257)], "password", "password of 257 characters"),
                (["roles": ["superuser"]], "roles", "unknown role"),
                (["roles": ["user", "root"]], "roles", "one unknown role among known ones"),
                (["status": "sleeping"], "status", "bad status"),
                (["picture": "http://images.example.com/a.png"], "picture", "picture over http"),
                (["picture": "not a url"], "picture", "picture not a URL"),
                (["picture": "https://"], "picture", "picture without a host"),
                (["name": String(repeating: "n", count: 513)], "name", "name too long"),
            ]
            var missingUsername = Self.userBody("xavier")
            missingUsername.removeValue(forKey: "username")
            var missingEmail = Self.userBody("yvonne")
            missingEmail.removeValue(forKey: "email")
            let before = try await Self.userTotal(admin)
            for (overrides, field, comment) in cases {
                let response = try await admin.call(.post, "/users", json: Self.userBody("valid-name", overrides))
                expectSimpleError(response, .badRequest, naming: [field], comment)
            }
            expectSimpleError(try await admin.call(.post, "/users", json: missingUsername), .badRequest, naming: ["username"], "no username")
            expectSimpleError(try await admin.call(.post, "/users", json: missingEmail), .badRequest, naming: ["email"], "no email")
            #expect(try await Self.userTotal(admin) == before, "a refused create stored a user")
        }
    }

    @Test("when a create request is not JSON or the body is not an object then the answer is 400", arguments: TestDatabase.all)
    func createMalformedBody(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            expectSimpleError(try await admin.call(.post, "/users", rawBody: "{\"username\":"), .badRequest, "truncated JSON")
            expectSimpleError(
                try await admin.call(.post, "/users", json: ["username": 42, "email": "x@example.com"]),
                .badRequest,
                "username a number"
            )
            #expect(try await Self.userTotal(admin) == 0)
        }
    }

    @Test("when a username or email is taken, differing only in case, then the answer is 409", arguments: TestDatabase.all)
    func createConflicts(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            _ = try await Self.createUser(admin, Self.userBody("alice"))
            let sameUsername = try await admin.call(.post, "/users", json: ["username": "ALICE", "email": "other@example.com"])
            expectSimpleError(sameUsername, .conflict, "username differing in case")
            let sameEmail = try await admin.call(.post, "/users", json: ["username": "alice2", "email": "Alice@EXAMPLE.com"])
            expectSimpleError(sameEmail, .conflict, "email differing in case")
            #expect(try await Self.userTotal(admin) == 1)
            // Neither may be taken by an update either.
            let bob = try await Self.createUser(admin, Self.userBody("bob"))
            let bobID = try #require(bob["id"] as? String)
            expectSimpleError(try await admin.call(.put, "/users/\(bobID)", json: ["username": "Alice"]), .conflict, "update to a taken username")
            expectSimpleError(
                try await admin.call(.put, "/users/\(bobID)", json: ["email": "ALICE@example.com"]),
                .conflict,
                "update to a taken email"
            )
            #expect(try await admin.call(.get, "/users/\(bobID)").data()["username"] as? String == "bob")
        }
    }

    // MARK: access

    @Test("when a users call has no token then the answer is 401 for every operation", arguments: TestDatabase.all)
    func noToken(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let user = try await Self.createUser(admin, Self.userBody("alice"))
            let id = try #require(user["id"] as? String)
            let calls: [(HTTPRequest.Method, String, Any?)] = [
                (.post, "/users", Self.userBody("mallory")), (.get, "/users", nil), (.get, "/users/\(id)", nil),
                (.put, "/users/\(id)", ["name": "Hacked"]), (.delete, "/users/\(id)", nil),
                (.put, "/users/\(id)/password", ["password": "another good password"]), (.post, "/users/\(id)/disable", nil),
                (.post, "/users/\(id)/enable", nil),
            ]
            for (method, path, body) in calls {
                let response = try await admin.http.admin(method, path, token: nil, json: body)
                expectSimpleError(response, .unauthorized, "\(method) \(path) without a token")
                #expect(response.headers[.wwwAuthenticate]?.lowercased().hasPrefix("bearer") == true)
                #expect(!response.text.contains("alice@example.com"))
            }
            let invalid = try await admin.http.admin(.get, "/users", token: "not.a.token")
            expectSimpleError(invalid, .unauthorized, "garbage token")
            let after = try await admin.call(.get, "/users/\(id)")
            #expect(try after.data()["name"] as? String == "", "an unauthenticated update changed the user")
            #expect(try after.data()["status"] as? String == "active")
        }
    }

    @Test("when a users call has a token without the admin scope then the answer is 403 for every operation", arguments: TestDatabase.all)
    func nonAdminToken(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let user = try await Self.createUser(admin, Self.userBody("alice"))
            let id = try #require(user["id"] as? String)
            let service = try await admin.createServiceClient(name: "Not an admin")
            let token = try await admin.http.clientCredentialsToken(clientID: service.clientID, secret: service.secret)
            let calls: [(HTTPRequest.Method, String, Any?)] = [
                (.post, "/users", Self.userBody("mallory")), (.get, "/users", nil), (.get, "/users/\(id)", nil),
                (.put, "/users/\(id)", ["name": "Hacked"]), (.delete, "/users/\(id)", nil),
                (.put, "/users/\(id)/password", ["password": "another good password"]), (.post, "/users/\(id)/disable", nil),
                (.post, "/users/\(id)/enable", nil),
            ]
            for (method, path, body) in calls {
                let response = try await admin.http.admin(method, path, token: token, json: body)
                expectSimpleError(response, .forbidden, "\(method) \(path) with a non-admin token")
                #expect(!response.text.contains("alice@example.com"), "a 403 leaked user data")
            }
            #expect(try await Self.userTotal(admin) == 1)
            let after = try await admin.call(.get, "/users/\(id)")
            #expect(after.status == .ok, "a forbidden delete removed the user")
            #expect(try after.data()["status"] as? String == "active")
            #expect(try await Self.canSignIn(admin.http, "alice", goodPassword), "a forbidden password change took effect")
        }
    }

    @Test("when an unknown user id is used then every operation answers 404", arguments: TestDatabase.all)
    func unknownUser(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let unknown = ULID.make()
            let calls: [(HTTPRequest.Method, String, Any?)] = [
                (.get, "/users/\(unknown)", nil), (.put, "/users/\(unknown)", ["name": "Nobody"]),
                (.delete, "/users/\(unknown)", nil), (.put, "/users/\(unknown)/password", ["password": "another good password"]),
                (.post, "/users/\(unknown)/disable", nil), (.post, "/users/\(unknown)/enable", nil),
            ]
            for (method, path, body) in calls {
                expectSimpleError(try await admin.call(method, path, json: body), .notFound, "\(method) \(path)")
            }
        }
    }

    // MARK: list

    @Test("when users are listed then the envelope, pagination and filters by email, username and status are right", arguments: TestDatabase.all)
    func listAndFilter(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            var ids: [String: String] = [:]
            for name in ["anna", "bert", "carl", "dora", "emil"] {
                ids[name] = try #require(try await Self.createUser(admin, Self.userBody(name))["id"] as? String)
                admin.server.clock.advance(by: 1)
            }
            #expect(try await admin.call(.post, "/users/\(ids["bert"]!)/disable").status == .ok)
            #expect(try await admin.call(.post, "/users/\(ids["dora"]!)/disable").status == .ok)

            let all = try await admin.call(.get, "/users")
            #expect(all.status == .ok)
            let json = try all.json()
            #expect(Set(json.keys).isSuperset(of: ["code", "items", "total", "pagination", "message", "timestamp"]), "\(json.keys)")
            #expect(json["total"] as? Int == 5)
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(Set(items.compactMap { $0["username"] as? String }) == ["anna", "bert", "carl", "dora", "emil"])
            #expect(!all.text.contains("scrypt"), "the list shows hashes")
            #expect(items.allSatisfy { $0["has_password"] as? Bool == true })

            // Pagination: 2 per page, 3 pages, every user once.
            var seen: [String] = []
            for page in 1...3 {
                let response = try await admin.call(.get, "/users?page=\(page)&page_size=2")
                let pageJSON = try response.json()
                let pagination = try #require(pageJSON["pagination"] as? [String: Any])
                #expect(pagination["page"] as? Int == page)
                #expect(pagination["page_size"] as? Int == 2)
                #expect(pagination["total"] as? Int == 5)
                #expect(pagination["total_pages"] as? Int == 3)
                #expect(pagination["has_next"] as? Bool == (page < 3))
                #expect(pagination["has_prev"] as? Bool == (page > 1))
                let pageItems = try #require(pageJSON["items"] as? [[String: Any]])
                #expect(pageItems.count == (page < 3 ? 2 : 1))
                seen += pageItems.compactMap { $0["id"] as? String }
            }
            #expect(seen.count == 5)
            #expect(Set(seen) == Set(ids.values))
            let beyond = try await admin.call(.get, "/users?page=4&page_size=2")
            #expect((try beyond.json()["items"] as? [Any])?.isEmpty == true)

            // Filters.
            let byEmail = try await admin.call(.get, "/users?email=CARL@example.com")
            #expect(try byEmail.json()["total"] as? Int == 1)
            #expect((try byEmail.json()["items"] as? [[String: Any]])?.first?["id"] as? String == ids["carl"])
            let byUsername = try await admin.call(.get, "/users?username=Emil")
            #expect(try byUsername.json()["total"] as? Int == 1)
            #expect((try byUsername.json()["items"] as? [[String: Any]])?.first?["username"] as? String == "emil")
            let disabled = try await admin.call(.get, "/users?status=disabled")
            let disabledNames = (try disabled.json()["items"] as? [[String: Any]])?.compactMap { $0["username"] as? String }
            #expect(Set(disabledNames ?? []) == ["bert", "dora"])
            let active = try await admin.call(.get, "/users?status=active")
            #expect(try active.json()["total"] as? Int == 3)
            let none = try await admin.call(.get, "/users?username=nobody")
            #expect(try none.json()["total"] as? Int == 0)
            let combined = try await admin.call(.get, "/users?status=disabled&username=anna")
            #expect(try combined.json()["total"] as? Int == 0)

            // Bad parameters.
            expectSimpleError(try await admin.call(.get, "/users?status=sleeping"), .badRequest, naming: ["status"], "bad status filter")
            expectSimpleError(try await admin.call(.get, "/users?page=0"), .badRequest, naming: ["page"], "page 0")
            expectSimpleError(try await admin.call(.get, "/users?page_size=abc"), .badRequest, naming: ["page_size"], "page_size not a number")
        }
    }

    // MARK: update

    @Test("when a user is updated with some fields then only those change and the others keep their values", arguments: TestDatabase.all)
    func partialUpdate(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let created = try await Self.createUser(
                admin,
                Self.userBody(
                    "alice",
                    [
                        "name": "Alice Liddell", "given_name": "Alice", "family_name": "Liddell", "locale": "en-GB",
                        "phone_number": "+44 1865 000000", "roles": ["admin"], "email_verified": true,
                    ]
                )
            )
            let id = try #require(created["id"] as? String)
            admin.server.clock.advance(by: 5)
            let response = try await admin.call(.put, "/users/\(id)", json: ["name": "Alice P. Liddell", "zoneinfo": "Europe/London"])
            #expect(response.status == .ok, "\(response.text)")
            let updated = try response.data()
            #expect(updated["name"] as? String == "Alice P. Liddell")
            #expect(updated["zoneinfo"] as? String == "Europe/London")
            // Untouched fields keep their values.
            #expect(updated["username"] as? String == "alice")
            #expect(updated["email"] as? String == "alice@example.com")
            #expect(updated["email_verified"] as? Bool == true)
            #expect(updated["given_name"] as? String == "Alice")
            #expect(updated["family_name"] as? String == "Liddell")
            #expect(updated["locale"] as? String == "en-GB")
            #expect(updated["phone_number"] as? String == "+44 1865 000000")
            #expect(updated["roles"] as? [String] == ["admin"])
            #expect(updated["status"] as? String == "active")
            #expect(updated["has_password"] as? Bool == true)
            #expect(updated["created_at"] as? String == created["created_at"] as? String)
            #expect(updated["updated_at"] as? String != created["updated_at"] as? String, "updated_at did not move")
            // And so does the stored record, password included.
            let read = try await admin.call(.get, "/users/\(id)").data()
            #expect(read["name"] as? String == "Alice P. Liddell")
            #expect(read["given_name"] as? String == "Alice")
            #expect(try await Self.canSignIn(admin.http, "alice", goodPassword))

            // Account fields change too.
            let second = try await admin.call(
                .put,
                "/users/\(id)",
                json: ["email": "alice@wonderland.example", "roles": ["user"], "status": "locked"]
            )
            #expect(second.status == .ok, "\(second.text)")
            #expect(try second.data()["email"] as? String == "alice@wonderland.example")
            #expect(try second.data()["roles"] as? [String] == ["user"])
            #expect(try second.data()["status"] as? String == "locked")
            #expect(try second.data()["name"] as? String == "Alice P. Liddell")

            // An empty body changes nothing.
            let empty = try await admin.call(.put, "/users/\(id)", json: [String: Any]())
            #expect(empty.status == .ok)
            #expect(try empty.data()["email"] as? String == "alice@wonderland.example")
        }
    }

    @Test("when an update has an invalid field then the answer is 400 naming it and the user is unchanged", arguments: TestDatabase.all)
    func updateInvalid(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await Self.createUser(admin, Self.userBody("alice"))["id"] as? String)
            let cases: [([String: Any], String)] = [
                (["username": "a"], "username"), (["email": "nope"], "email"), (["password": "password123"], "password"),
                (["roles": ["god"]], "roles"), (["status": "gone"], "status"), (["picture": "http://x.example/p.png"], "picture"),
            ]
            for (body, field) in cases {
                expectSimpleError(try await admin.call(.put, "/users/\(id)", json: body), .badRequest, naming: [field], "update \(field)")
            }
            let read = try await admin.call(.get, "/users/\(id)").data()
            #expect(read["username"] as? String == "alice")
            #expect(read["email"] as? String == "alice@example.com")
            #expect(read["status"] as? String == "active")
            #expect(read["picture"] as? String == "")
            #expect(try await Self.canSignIn(admin.http, "alice", goodPassword))
        }
    }

    // MARK: password, disable, enable

    @Test("when an admin sets a password then the answer is 204 and only the new password signs in", arguments: TestDatabase.all)
    func setPassword(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await Self.createUser(admin, Self.userBody("alice"))["id"] as? String)
            let response = try await admin.call(.put, "/users/\(id)/password", json: ["password": "a brand new passphrase"])
            #expect(response.status == .noContent, "\(response.text)")
            #expect(response.body.readableBytes == 0)
            #expect(try await Self.canSignIn(admin.http, "alice", "a brand new passphrase"))
            #expect(try await Self.canSignIn(admin.http, "alice", goodPassword) == false, "the old password still works")
            #expect(!admin.server.logs.text.contains("a brand new passphrase"), "the password was logged")
        }
    }

    @Test("when a set-password request is missing or weak then the answer is 400 and the old password stays", arguments: TestDatabase.all)
    func setPasswordInvalid(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await Self.createUser(admin, Self.userBody("alice"))["id"] as? String)
            for (body, comment) in [
                (["password": "short"] as [String: Any], "too short"), (["password": "Password1"], "too common"),
                (["password": String(repeating: "z", count: 257)], "too long"), ([String: Any](), "missing"),
            ] {
                expectSimpleError(
                    try await admin.call(.put, "/users/\(id)/password", json: body),
                    .badRequest,
                    naming: ["password"],
                    comment
                )
            }
            #expect(try await Self.canSignIn(admin.http, "alice", goodPassword))
        }
    }

    @Test("when a user is disabled then sign-in is refused, and after enabling it works again", arguments: TestDatabase.all)
    func disableEnable(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await Self.createUser(admin, Self.userBody("alice"))["id"] as? String)
            let disabled = try await admin.call(.post, "/users/\(id)/disable")
            #expect(disabled.status == .ok, "\(disabled.text)")
            #expect(try disabled.data()["status"] as? String == "disabled")
            #expect(try await admin.call(.get, "/users/\(id)").data()["status"] as? String == "disabled")

            let refused = try await TestBrowser(admin.http).signIn("alice", goodPassword)
            #expect(refused.status == .unauthorized)
            #expect(refused.alertMessage == incorrectCredentialsMessage, "a disabled account must not be revealed")
            #expect(refused.setCookie(named: BrowserCookieName.session) == nil)

            let enabled = try await admin.call(.post, "/users/\(id)/enable")
            #expect(enabled.status == .ok, "\(enabled.text)")
            #expect(try enabled.data()["status"] as? String == "active")
            #expect(try await Self.canSignIn(admin.http, "alice", goodPassword))
        }
    }

    @Test("when a signed-in user is disabled then the browser session no longer works", arguments: TestDatabase.all)
    func disableEndsSessionUse(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await Self.createUser(admin, Self.userBody("alice"))["id"] as? String)
            let browser = TestBrowser(admin.http)
            try await browser.mustSignIn("alice", goodPassword)
            #expect(try await browser.isSignedIn())
            #expect(try await admin.call(.post, "/users/\(id)/disable").status == .ok)
            #expect(try await browser.isSignedIn() == false)
        }
    }

    // MARK: delete

    @Test("when a user is deleted then 204, GET is 404, and the user's tokens, consents and sessions are revoked", arguments: TestDatabase.all)
    func delete(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let server = admin.server
            let alice = try await server.makeUser("alice")
            let bob = try await server.makeUser("bob")
            let clientID = try await admin.http.registerClient(name: "Photo Album")

            // Alice: a token, a consent, a browser session. Bob: the same, untouched by her deletion.
            let aliceToken = try await server.userAccessToken(clientID: clientID, user: alice)
            let bobToken = try await server.userAccessToken(clientID: clientID, user: bob)
            _ = try await server.server.consents.grant(userID: alice.id, clientID: clientID, scopes: ["openid", "email"])
            _ = try await server.server.consents.grant(userID: bob.id, clientID: clientID, scopes: ["openid"])
            let aliceBrowser = TestBrowser(admin.http)
            let aliceCookie = try await aliceBrowser.mustSignIn("alice", goodPassword)
            let bobBrowser = TestBrowser(admin.http)
            try await bobBrowser.mustSignIn("bob", goodPassword)
            #expect(try await aliceBrowser.isSignedIn())

            server.clock.advance(by: 2)
            let response = try await admin.call(.delete, "/users/\(alice.id)")
            #expect(response.status == .noContent, "\(response.text)")
            #expect(response.body.readableBytes == 0)

            expectSimpleError(try await admin.call(.get, "/users/\(alice.id)"), .notFound, "GET after delete")
            expectSimpleError(try await admin.call(.delete, "/users/\(alice.id)"), .notFound, "second delete")
            #expect(try await Self.userTotal(admin) == 1)

            // Tokens.
            let aliceRecord = try #require(try await server.server.storage.token(id: try tokenID(of: aliceToken), tenant: .default))
            #expect(aliceRecord.revokedAt != nil, "the deleted user's token was not revoked")
            #expect(aliceRecord.isActive(at: server.clock.now) == false)
            let bobRecord = try #require(try await server.server.storage.token(id: try tokenID(of: bobToken), tenant: .default))
            #expect(bobRecord.revokedAt == nil, "another user's token was revoked")
            let consentsAPI = try await admin.http.execute(
                uri: "\(api)/oauth/consents",
                method: .get,
                headers: [.authorization: "Bearer \(aliceToken)"],
                body: nil
            )
            #expect(consentsAPI.status == .unauthorized, "the deleted user's token still works: \(consentsAPI.status)")

            // Consents.
            #expect(try await server.server.consents.consent(userID: alice.id, clientID: clientID) == nil)
            #expect(try await server.server.consents.consents(userID: alice.id).isEmpty)
            #expect(try await server.server.consents.consent(userID: bob.id, clientID: clientID) != nil)

            // Sessions: the cookie resumes nothing, and the page sends the browser to sign in.
            #expect(try await server.server.sessions.resume(cookie: aliceCookie) == nil)
            #expect(try await aliceBrowser.isSignedIn() == false)
            #expect(try await bobBrowser.isSignedIn())

            // The account can no longer sign in, and the name is free again.
            #expect(try await Self.canSignIn(admin.http, "alice", goodPassword) == false)
            let again = try await admin.call(.post, "/users", json: Self.userBody("alice"))
            #expect(again.status == .created, "a deleted user's username stays taken: \(again.text)")
            #expect(try again.data()["id"] as? String != alice.id)
        }
    }

    // MARK: audit

    @Test("when a user is created, updated, given a password, disabled, enabled and deleted then each change is audited", arguments: TestDatabase.all)
    func audited(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await Self.createUser(admin, Self.userBody("alice"))["id"] as? String)
            admin.server.clock.advance(by: 1)
            #expect(try await admin.call(.put, "/users/\(id)", json: ["name": "Alice", "email": "a@example.com"]).status == .ok)
            admin.server.clock.advance(by: 1)
            #expect(try await admin.call(.put, "/users/\(id)/password", json: ["password": "a brand new passphrase"]).status == .noContent)
            admin.server.clock.advance(by: 1)
            #expect(try await admin.call(.post, "/users/\(id)/disable").status == .ok)
            admin.server.clock.advance(by: 1)
            #expect(try await admin.call(.post, "/users/\(id)/enable").status == .ok)
            admin.server.clock.advance(by: 1)
            #expect(try await admin.call(.delete, "/users/\(id)").status == .noContent)

            let page = try await admin.server.server.storage.auditEvents(targetID: id, tenant: .default, page: PageRequest(pageSize: 100))
            let events = page.items
            let actions = Set(events.map(\.action))
            #expect(
                actions == ["user.create", "user.update", "user.password.set", "user.status.disabled", "user.status.active", "user.delete"],
                "\(events.map(\.action))"
            )
            #expect(events.count == 6, "\(events.map(\.action))")
            for event in events {
                #expect(event.targetID == id)
                #expect(event.targetType == "user")
                #expect(event.actor.id == TestServer.adminClientID, "\(event.action) actor \(event.actor)")
                #expect(event.actor.type == "client")
            }
            let update = try #require(events.first { $0.action == "user.update" })
            #expect(Set(update.changedFields) == ["profile", "email"], "\(update.changedFields)")
            let password = try #require(events.first { $0.action == "user.password.set" })
            #expect(password.changedFields == ["password"])
            // No event carries the password or its hash.
            for event in events {
                #expect(!event.message.contains("passphrase") && !event.message.contains("scrypt"), "\(event.message)")
            }
            #expect(!admin.server.logs.text.contains("a brand new passphrase"))
        }
    }

    @Test("when a request is refused then nothing is audited", arguments: TestDatabase.all)
    func refusedNotAudited(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let id = try #require(try await Self.createUser(admin, Self.userBody("alice"))["id"] as? String)
            #expect(try await Self.auditActions(admin.server, id) == ["user.create"])
            _ = try await admin.call(.put, "/users/\(id)", json: ["email": "broken"])
            _ = try await admin.call(.put, "/users/\(id)/password", json: ["password": "short"])
            _ = try await admin.http.admin(.post, "/users/\(id)/disable", token: nil)
            #expect(try await Self.auditActions(admin.server, id) == ["user.create"])
        }
    }
}
