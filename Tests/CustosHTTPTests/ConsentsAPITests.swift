import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /oauth/consents` and `DELETE /oauth/consents/{id}`: the signed-in user's consents, by
/// a bearer token issued on the user's behalf.
@Suite("Account API: consents")
struct ConsentsAPITests {
    static func call(
        _ http: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String?
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await http.execute(uri: "\(api)/oauth/consents" + path, method: method, headers: headers, body: nil)
    }

    /// The consents API answers only a first-party app's `account` token issued in a live
    /// browser session of the user (rule 1): clients for these tests are made so.
    static var firstParty: [String: Any] { ["first_party": true, "scopes": ["openid", "email", "phone", "account"]] }

    static func tokenRecord(_ server: TestServer, _ accessToken: String) async throws -> IssuedToken {
        try #require(try await server.server.storage.token(id: try tokenID(of: accessToken), tenant: .default))
    }

    @Test(
        "when a user's token lists consents then the list envelope holds the user's consents with id, client_id and scopes",
        arguments: TestDatabase.all
    )
    func list(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        let alice = try await server.makeUser("alice")
        let bob = try await server.makeUser("bob")
        try await server.run { http in
            let photos = try await http.registerClient(name: "Photo Album", Self.firstParty)
            let notes = try await http.registerClient(name: "Notes", Self.firstParty)
            let photosConsent = try await server.server.consents.grant(userID: alice.id, clientID: photos, scopes: ["openid", "email"])
            server.clock.advance(by: 1)
            let notesConsent = try await server.server.consents.grant(userID: alice.id, clientID: notes, scopes: ["openid"])
            _ = try await server.server.consents.grant(userID: bob.id, clientID: photos, scopes: ["openid", "phone"])
            let token = try await server.accountToken(clientID: photos, user: alice)

            let response = try await Self.call(http, .get, "", token: token)
            #expect(response.status == .ok, "\(response.text)")
            let json = try response.json()
            #expect(Set(json.keys).isSuperset(of: ["code", "items", "total", "pagination", "message", "timestamp"]), "\(json.keys)")
            #expect(json["code"] as? Int == 0)
            #expect(json["total"] as? Int == 2)
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count == 2)
            let byID = Dictionary(uniqueKeysWithValues: items.compactMap { item in (item["id"] as? String).map { ($0, item) } })
            #expect(Set(byID.keys) == [photosConsent.id, notesConsent.id], "bob's consent must not be listed")
            #expect(byID[photosConsent.id]?["client_id"] as? String == photos)
            #expect(Set(byID[photosConsent.id]?["scopes"] as? [String] ?? []) == ["openid", "email"])
            #expect(byID[notesConsent.id]?["client_id"] as? String == notes)
            #expect(byID[notesConsent.id]?["scopes"] as? [String] == ["openid"])
            #expect(isRFC3339(byID[photosConsent.id]?["created_at"] as? String ?? ""))
            #expect(!response.text.contains(bob.id))
        }
    }

    @Test("when a user has no consents then the list is empty", arguments: TestDatabase.all)
    func emptyList(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        let alice = try await server.makeUser("alice")
        try await server.run { http in
            let clientID = try await http.registerClient(name: "Photo Album", Self.firstParty)
            let response = try await Self.call(http, .get, "", token: try await server.accountToken(clientID: clientID, user: alice))
            #expect(response.status == .ok)
            #expect(try response.json()["total"] as? Int == 0)
            #expect((try response.json()["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("when consents are called without a valid token then the answer is 401", arguments: TestDatabase.all)
    func noToken(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        let alice = try await server.makeUser("alice")
        try await server.run { http in
            let clientID = try await http.registerClient(name: "Photo Album", Self.firstParty)
            let consent = try await server.server.consents.grant(userID: alice.id, clientID: clientID, scopes: ["openid"])
            for token in [nil, "garbage", "a.b.c"] as [String?] {
                let list = try await Self.call(http, .get, "", token: token)
                expectSimpleError(list, .unauthorized, "list with token \(token ?? "none")")
                #expect(list.headers[.wwwAuthenticate]?.lowercased().hasPrefix("bearer") == true)
                expectSimpleError(try await Self.call(http, .delete, "/\(consent.id)", token: token), .unauthorized, "delete with \(token ?? "none")")
            }
            #expect(try await server.server.consents.consent(userID: alice.id, clientID: clientID) != nil, "an unauthenticated delete withdrew it")
        }
    }

    @Test("when consents are called with a token issued to a client alone (no user) then the answer is 403", arguments: TestDatabase.all)
    func clientOnlyToken(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let service = try await admin.createServiceClient(name: "Machine")
            let token = try await admin.http.clientCredentialsToken(clientID: service.clientID, secret: service.secret)
            expectSimpleError(try await Self.call(admin.http, .get, "", token: token), .forbidden, "client-only token")
            // The admin's own token is also a client token: it does not speak for a user either.
            expectSimpleError(try await Self.call(admin.http, .get, "", token: admin.token), .forbidden, "admin token")
            expectSimpleError(
                try await Self.call(admin.http, .delete, "/\(ULID.make())", token: token),
                .forbidden,
                "delete with a client-only token"
            )
        }
    }

    @Test(
        "when a consent is withdrawn then 204, it is gone from the list, and that client's tokens for the user are revoked while others stay",
        arguments: TestDatabase.all
    )
    func withdraw(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        let alice = try await server.makeUser("alice")
        let bob = try await server.makeUser("bob")
        try await server.run { http in
            let photos = try await http.registerClient(name: "Photo Album", Self.firstParty)
            let notes = try await http.registerClient(name: "Notes", Self.firstParty)
            let consent = try await server.server.consents.grant(userID: alice.id, clientID: photos, scopes: ["openid", "email"])
            _ = try await server.server.consents.grant(userID: alice.id, clientID: notes, scopes: ["openid"])
            _ = try await server.server.consents.grant(userID: bob.id, clientID: photos, scopes: ["openid"])

            let alicePhotosA = try await server.accountToken(clientID: photos, user: alice)
            let alicePhotosB = try await server.accountToken(clientID: photos, user: alice, scopes: ["openid", "email", "account"])
            let aliceNotes = try await server.accountToken(clientID: notes, user: alice)
            let bobPhotos = try await server.accountToken(clientID: photos, user: bob)

            server.clock.advance(by: 1)
            // Alice withdraws through the Notes app's token: the Photo Album consent is hers.
            let response = try await Self.call(http, .delete, "/\(consent.id)", token: aliceNotes)
            #expect(response.status == .noContent, "\(response.text)")
            #expect(response.body.readableBytes == 0)

            for token in [alicePhotosA, alicePhotosB] {
                let record = try await Self.tokenRecord(server, token)
                #expect(record.revokedAt != nil, "alice's Photo Album token was not revoked")
                #expect(record.isActive(at: server.clock.now) == false)
                expectSimpleError(try await Self.call(http, .get, "", token: token), .unauthorized, "revoked token used")
            }
            #expect(try await Self.tokenRecord(server, aliceNotes).revokedAt == nil, "another client's token was revoked")
            #expect(try await Self.tokenRecord(server, bobPhotos).revokedAt == nil, "another user's token was revoked")

            #expect(try await server.server.consents.consent(userID: alice.id, clientID: photos) == nil)
            #expect(try await server.server.consents.consent(userID: alice.id, clientID: notes) != nil)
            #expect(try await server.server.consents.consent(userID: bob.id, clientID: photos) != nil)
            let list = try await Self.call(http, .get, "", token: aliceNotes)
            let items = try #require(try list.json()["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["client_id"] as? String } == [notes])

            // Withdrawn once: a second DELETE finds nothing.
            expectSimpleError(try await Self.call(http, .delete, "/\(consent.id)", token: aliceNotes), .notFound, "second withdrawal")
        }
    }

    @Test("when a user deletes another user's consent or an unknown id then the answer is 404 and nothing changes", arguments: TestDatabase.all)
    func otherUsersConsent(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        let alice = try await server.makeUser("alice")
        let bob = try await server.makeUser("bob")
        try await server.run { http in
            let photos = try await http.registerClient(name: "Photo Album", Self.firstParty)
            let bobConsent = try await server.server.consents.grant(userID: bob.id, clientID: photos, scopes: ["openid"])
            let bobToken = try await server.accountToken(clientID: photos, user: bob)
            let aliceToken = try await server.accountToken(clientID: photos, user: alice)

            let response = try await Self.call(http, .delete, "/\(bobConsent.id)", token: aliceToken)
            expectSimpleError(response, .notFound, "another user's consent")
            expectSimpleError(try await Self.call(http, .delete, "/\(ULID.make())", token: aliceToken), .notFound, "unknown consent")

            #expect(try await server.server.consents.consent(userID: bob.id, clientID: photos)?.id == bobConsent.id)
            #expect(try await Self.tokenRecord(server, bobToken).revokedAt == nil, "bob's token was revoked by alice's request")
            #expect(try await Self.tokenRecord(server, aliceToken).revokedAt == nil)
        }
    }

    @Test("when the token's user was disabled then the consents API refuses it with 401", arguments: TestDatabase.all)
    func disabledUser(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        let alice = try await server.makeUser("alice")
        try await server.run { http in
            let clientID = try await http.registerClient(name: "Photo Album", Self.firstParty)
            let token = try await server.accountToken(clientID: clientID, user: alice)
            #expect(try await Self.call(http, .get, "", token: token).status == .ok)
            _ = try await server.server.users.setStatus(alice.id, .disabled, by: .system)
            expectSimpleError(try await Self.call(http, .get, "", token: token), .unauthorized, "disabled user's token")
        }
    }

    @Test(
        "when the token is another client's user token, lacks the account scope or its session ended then the consents API refuses it",
        arguments: TestDatabase.all
    )
    func onlyFirstPartyAccountTokens(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        let alice = try await server.makeUser("alice")
        try await server.run { http in
            let thirdParty = try await http.registerClient(name: "Photo Album")
            let account = try await http.registerClient(name: "Account", Self.firstParty)
            _ = try await server.server.consents.grant(userID: alice.id, clientID: thirdParty, scopes: ["openid"])
            let foreign = try await server.userAccessToken(clientID: thirdParty, user: alice)
            expectSimpleError(try await Self.call(http, .get, "", token: foreign), .forbidden, "a third-party client's user token")
            let noScope = try await server.accountToken(clientID: account, user: alice, scopes: ["openid"])
            expectSimpleError(try await Self.call(http, .get, "", token: noScope), .forbidden, "a first-party token without account")
            // A first-party account token minted without a browser session acts on none.
            let sessionless = try await server.userAccessToken(clientID: account, user: alice, scopes: ["openid", "account"])
            expectSimpleError(try await Self.call(http, .get, "", token: sessionless), .unauthorized, "no session")
            let good = try await server.accountToken(clientID: account, user: alice)
            #expect(try await Self.call(http, .get, "", token: good).status == .ok)
        }
    }
}
