import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Pairwise subject identifiers (OpenID Connect Core §8, §8.1): a client registered with
/// `subject_type=pairwise` sees a `sub` of its own sector (the host of its redirect URIs),
/// stable across sign-ins, different from other sectors' and from the user id.
@Suite("OpenID: pairwise subjects")
struct PairwiseSubjectTests {
    static func pairwiseClient(_ openID: OpenIDContext, redirectURI: String) async throws -> RegisteredClient {
        try await Registration.register(openID.http, ["subject_type": "pairwise", "redirect_uris": [redirectURI]])
    }

    @Test(
        "when two pairwise clients on different hosts authenticate one user then their subs differ and neither is the user id",
        arguments: TestDatabase.all
    )
    func differentSectors(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let first = try await Self.pairwiseClient(openID, redirectURI: "https://photos.example.com/cb")
            let second = try await Self.pairwiseClient(openID, redirectURI: "https://print.example.org/callback")
            let firstSub = try #require(try await openID.idToken(for: first.flowClient).token.claims["sub"] as? String)
            let secondSub = try #require(try await openID.idToken(for: second.flowClient).token.claims["sub"] as? String)
            #expect(firstSub != secondSub)
            #expect(firstSub != openID.user.id && secondSub != openID.user.id, "a pairwise sub must not be the public user id")
            #expect(!firstSub.isEmpty && firstSub.count <= 255, "Core §2: at most 255 ASCII characters")
        }
    }

    @Test("when one pairwise client authenticates the same user twice then it sees the same sub", arguments: TestDatabase.all)
    func stableForOneClient(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.pairwiseClient(openID, redirectURI: "https://photos.example.com/cb")
            let first = try #require(try await openID.idToken(for: client.flowClient).token.claims["sub"] as? String)
            openID.clock.advance(by: 60)
            let second = try #require(try await openID.idToken(for: client.flowClient).token.claims["sub"] as? String)
            #expect(first == second)
        }
    }

    @Test(
        "when a pairwise client calls userinfo then the sub equals its ID token's sub, and its readable access token does not reveal the user id",
        arguments: TestDatabase.all
    )
    func userInfoMatches(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.pairwiseClient(openID, redirectURI: "https://photos.example.com/cb")
            let (_, idToken, access) = try await openID.idToken(for: client.flowClient)
            let sub = try #require(idToken.claims["sub"] as? String)
            let response = try await openID.userInfo(bearer: access)
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.json()["sub"] as? String == sub)
            // The access token is a JWT the client can read; its sub must not undo the pairwise promise.
            #expect(try jwtSegments(access).payload["sub"] as? String != openID.user.id)
        }
    }

    @Test("when a pairwise client refreshes then the new access token keeps the pairwise sub", arguments: TestDatabase.all)
    func refreshKeepsPairwiseSub(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Registration.register(
                openID.http,
                [
                    "subject_type": "pairwise", "redirect_uris": ["https://photos.example.com/cb"],
                    "grant_types": ["authorization_code", "refresh_token"],
                ]
            )
            let tokens = try await openID.tokenResponse(for: client.flowClient)
            let first = try #require(tokens["access_token"] as? String)
            let refreshToken = try #require(tokens["refresh_token"] as? String)
            let refreshed = try await openID.flow.refresh(refreshToken, client: client.flowClient)
            #expect(refreshed.status == .ok, "\(refreshed.text)")
            let second = try #require(try refreshed.json()["access_token"] as? String)
            let pairwise = try #require(try jwtSegments(first).payload["sub"] as? String)
            #expect(pairwise != openID.user.id)
            #expect(try jwtSegments(second).payload["sub"] as? String == pairwise)
        }
    }

    @Test("when two pairwise clients share a redirect host (one sector) then they see the same sub", arguments: TestDatabase.all)
    func sameSectorSameSub(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let first = try await Self.pairwiseClient(openID, redirectURI: "https://photos.example.com/cb")
            let second = try await Self.pairwiseClient(openID, redirectURI: "https://photos.example.com/other/cb")
            let firstSub = try #require(try await openID.idToken(for: first.flowClient).token.claims["sub"] as? String)
            let secondSub = try #require(try await openID.idToken(for: second.flowClient).token.claims["sub"] as? String)
            #expect(firstSub == secondSub, "Core §8.1: the sector identifier is the redirect URIs' host")
        }
    }

    @Test("when two users sign in to one pairwise client then their subs differ", arguments: TestDatabase.all)
    func differentUsers(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Self.pairwiseClient(openID, redirectURI: "https://photos.example.com/cb")
            let aliceSub = try #require(try await openID.idToken(for: client.flowClient).token.claims["sub"] as? String)
            let bob = try await openID.server.makeUser("bob")
            let (_, cookie) = try await openID.server.server.sessions.start(for: bob, amr: ["pwd"])
            let bobFlow = FlowContext(server: openID.server, http: openID.http, user: bob, sessionCookie: cookie)
            let bobTokens = try await bobFlow.tokens(for: client.flowClient, scope: "openid")
            let bobIDToken = try #require(bobTokens["id_token"] as? String)
            let bobSub = try #require(try verifyJWT(bobIDToken, keys: openID.keys).claims["sub"] as? String)
            #expect(aliceSub != bobSub)
            #expect(bobSub != bob.id)
        }
    }

    @Test(
        "when a public-subject client and a pairwise client authenticate one user then only the public one sees the user id",
        arguments: TestDatabase.all
    )
    func publicVersusPairwise(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let publicClient = try await Registration.register(openID.http, ["subject_type": "public"])
            let pairwise = try await Self.pairwiseClient(openID, redirectURI: Flow.redirectURI)
            #expect(try await openID.idToken(for: publicClient.flowClient).token.claims["sub"] as? String == openID.user.id)
            #expect(try await openID.idToken(for: pairwise.flowClient).token.claims["sub"] as? String != openID.user.id)
        }
    }

    @Test(
        "when a pairwise client registers redirect URIs on several hosts without a sector_identifier_uri then registration is refused",
        arguments: TestDatabase.all
    )
    func severalHostsRefused(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let response = try await Registration.post(
                openID.http,
                Registration.metadata([
                    "subject_type": "pairwise", "redirect_uris": ["https://a.example.com/cb", "https://b.example.net/cb"],
                ])
            )
            expectRegistrationError(response, error: "invalid_client_metadata", "pairwise over two hosts")
        }
    }
}
