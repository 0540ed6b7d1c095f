import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Disabled, deleted or re-passworded users ("Authorization boundaries", rule 5): the change
/// revokes the user's refresh and access tokens and ends their sessions (clients told over the
/// back channel) in one step; refresh for an inactive user is `invalid_grant`; no token is
/// minted for a user who is not active.
@Suite("Users whose access ends")
struct InactiveUserAccessTests {
    static let backchannelURI = "https://app.example.com/backchannel-logout"

    /// A world with a back-channel client that took part in alice's session: its tokens from a
    /// code flow (access, refresh) and the id of the session.
    struct Participant {
        let client: FlowClient
        let access: String
        let refresh: String
    }

    static func participant(_ openID: OpenIDContext) async throws -> Participant {
        let registered = try await Registration.register(
            openID.http,
            [
                "backchannel_logout_uri": backchannelURI, "grant_types": ["authorization_code", "refresh_token"],
                "scope": "openid profile offline_access",
            ]
        )
        let body = try await openID.tokenResponse(for: registered.flowClient)
        return Participant(
            client: registered.flowClient,
            access: try #require(body["access_token"] as? String),
            refresh: try #require(body["refresh_token"] as? String, "no refresh token: \(body)")
        )
    }

    /// Everything the rule promises once the user's access has ended.
    static func expectAccessEnded(
        _ openID: OpenIDContext,
        _ participant: Participant,
        _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let flow = openID.flow
        RefreshTokenGrantTests.expectInvalidGrant(
            try await flow.refresh(participant.refresh, client: participant.client),
            "\(comment): refresh"
        )
        #expect(try await !flow.isActive(participant.access), "\(comment): access token still active", sourceLocation: sourceLocation)
        #expect(try await !flow.isActive(participant.refresh), "\(comment): refresh token still active", sourceLocation: sourceLocation)
        #expect(try await !LogoutTests.sessionIsLive(openID), "\(comment): session survived", sourceLocation: sourceLocation)
        let deliveries = openID.notifier.all
        #expect(
            deliveries.map(\.uri) == [backchannelURI],
            "\(comment): back-channel logout: \(deliveries.map(\.uri))",
            sourceLocation: sourceLocation
        )
        if let delivery = deliveries.first {
            let claims = try verifyJWT(delivery.token, keys: openID.keys, type: "logout+jwt").claims
            #expect(claims["sid"] as? String == openID.session.id, sourceLocation: sourceLocation)
        }
    }

    @Test(
        "when an admin disables a user then their refresh token is invalid_grant, their tokens inactive, their sessions ended with back-channel logout, and re-enabling revives none of it",
        arguments: TestDatabase.all
    )
    func disablingEndsAccess(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let participant = try await Self.participant(openID)
            let token = try await openID.http.adminToken()
            let disabled = try await openID.http.admin(.post, "/users/\(openID.user.id)/disable", token: token)
            #expect(disabled.status == .ok, "\(disabled.text)")
            try await Self.expectAccessEnded(openID, participant, "disabled")

            let enabled = try await openID.http.admin(.post, "/users/\(openID.user.id)/enable", token: token)
            #expect(enabled.status == .ok, "\(enabled.text)")
            RefreshTokenGrantTests.expectInvalidGrant(
                try await openID.flow.refresh(participant.refresh, client: participant.client),
                "re-enabled: the old refresh token stays revoked"
            )
            #expect(try await !openID.flow.isActive(participant.access), "re-enabled: the old access token stays revoked")
        }
    }

    @Test("when an admin sets a status other than active through PUT /users/{id} then the user's access ends", arguments: TestDatabase.all)
    func statusUpdateEndsAccess(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let participant = try await Self.participant(openID)
            let response = try await openID.http.admin(
                .put,
                "/users/\(openID.user.id)",
                token: try await openID.http.adminToken(),
                json: ["status": "locked"]
            )
            #expect(response.status == .ok, "\(response.text)")
            try await Self.expectAccessEnded(openID, participant, "locked")
        }
    }

    @Test(
        "when an admin sets a user's password then the user's tokens and sessions end even though the user stays active",
        arguments: TestDatabase.all
    )
    func newPasswordEndsAccess(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let participant = try await Self.participant(openID)
            let response = try await openID.http.admin(
                .put,
                "/users/\(openID.user.id)/password",
                token: try await openID.http.adminToken(),
                json: ["password": "another horse battery staple"]
            )
            #expect(response.status == .noContent, "\(response.text)")
            try await Self.expectAccessEnded(openID, participant, "new password")
        }
    }

    @Test("when a PUT /users/{id} changes only the profile then the user's tokens stay active", arguments: TestDatabase.all)
    func profileUpdateKeepsAccess(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let participant = try await Self.participant(openID)
            let response = try await openID.http.admin(
                .put,
                "/users/\(openID.user.id)",
                token: try await openID.http.adminToken(),
                json: ["email_verified": true]
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(try await openID.flow.isActive(participant.access))
            #expect(try await openID.flow.refresh(participant.refresh, client: participant.client).status == .ok)
            #expect(openID.notifier.all.isEmpty)
        }
    }

    @Test(
        "when an admin deletes a user then the refresh token is invalid_grant and the session's clients get a logout token",
        arguments: TestDatabase.all
    )
    func deletionEndsAccess(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let participant = try await Self.participant(openID)
            let response = try await openID.http.admin(.delete, "/users/\(openID.user.id)", token: try await openID.http.adminToken())
            #expect(response.status == .noContent, "\(response.text)")
            try await Self.expectAccessEnded(openID, participant, "deleted")
        }
    }

    @Test("when the user is disabled after a code was issued then redeeming it is invalid_grant and no token exists", arguments: TestDatabase.all)
    func codeOfDisabledUser(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let code = try await flow.code(for: client)
            _ = try await flow.server.server.users.setStatus(flow.user.id, .disabled, by: .system)
            let response = try await flow.redeem(code, client: client)
            RefreshTokenGrantTests.expectInvalidGrant(response, "code of a disabled user")
            #expect(response.string("access_token") == nil && response.string("id_token") == nil)
        }
    }

    @Test(
        "when a user's status is changed in the store alone then refresh is still invalid_grant and no token is minted",
        arguments: TestDatabase.all
    )
    func refreshChecksTheUser(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let refresh = try #require(try await flow.tokens(for: client)["refresh_token"] as? String)
            var user = flow.user
            user.status = .disabled
            // No revocation: the refresh grant itself must refuse the inactive user.
            try await flow.server.server.storage.update(user, audit: nil)
            RefreshTokenGrantTests.expectInvalidGrant(try await flow.refresh(refresh, client: client), "refresh of a disabled user")
        }
    }

    @Test("when a user is disabled then a token issued on their behalf is refused as a bearer credential", arguments: TestDatabase.all)
    func bearerOfDisabledUser(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let access = try #require(try await flow.tokens(for: client)["access_token"] as? String)
            var user = flow.user
            user.status = .disabled
            try await flow.server.server.storage.update(user, audit: nil)
            await #expect(throws: AccessDenied.unauthenticated("the bearer token's user is no longer active")) {
                _ = try await flow.server.server.adminAuthenticator.authenticate(bearer: access)
            }
        }
    }
}
