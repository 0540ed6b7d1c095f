import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The `claims` authorization request parameter (OpenID Connect Core §5.5) and `acr_values`
/// (§3.1.2.1): individual claims asked for in the ID token or at UserInfo whatever the scopes,
/// malformed values refused with a redirected invalid_request, and the `acr` Custos asserts.
@Suite("OpenID: claims parameter")
struct ClaimsParameterTests {
    /// The JSON text of a claims request.
    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The JSON answer of userinfo for `accessToken`; fails unless 200.
    static func userInfoClaims(
        _ openID: OpenIDContext,
        _ accessToken: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let response = try await openID.userInfo(bearer: accessToken)
        try #require(response.status == .ok, "userinfo: \(response.status) \(response.text)", sourceLocation: sourceLocation)
        return try response.json()
    }

    @Test(
        "when claims asks for email in the id_token with scope openid only then the ID token carries email and userinfo does not",
        arguments: TestDatabase.all
    )
    func idTokenMember(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let claims = try Self.json(["id_token": ["email": ["essential": true]]])
            let (_, token, accessToken) = try await openID.idToken(for: client, scope: "openid", extra: ["claims": claims])
            #expect(token.claims["email"] as? String == "alice@example.com", "\(token.claims)")
            #expect(token.claims["name"] == nil, "only the requested claim is added: \(token.claims)")

            let info = try await Self.userInfoClaims(openID, accessToken)
            #expect(info["sub"] as? String == openID.user.id)
            #expect(info["email"] == nil, "the id_token member does not release email at userinfo: \(info)")
        }
    }

    @Test(
        "when claims asks for email at userinfo (null) with scope openid only then userinfo returns email and the ID token does not",
        arguments: TestDatabase.all
    )
    func userinfoMember(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let claims = try Self.json(["userinfo": ["email": NSNull()]])
            let (_, token, accessToken) = try await openID.idToken(for: client, scope: "openid", extra: ["claims": claims])
            #expect(token.claims["email"] == nil, "the userinfo member does not put email in the ID token: \(token.claims)")

            let info = try await Self.userInfoClaims(openID, accessToken)
            #expect(info["email"] as? String == "alice@example.com", "the email scope was not granted, but claims asked: \(info)")
            #expect(info["name"] == nil && info["email_verified"] == nil, "only the requested claim: \(info)")
        }
    }

    @Test("when claims has members for both the ID token and userinfo then each gets its own claims", arguments: TestDatabase.all)
    func bothMembers(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let claims = try Self.json(["id_token": ["name": NSNull()], "userinfo": ["email": ["essential": true]]])
            let (_, token, accessToken) = try await openID.idToken(for: client, scope: "openid", extra: ["claims": claims])
            #expect(token.claims["name"] as? String == OpenID.userName, "\(token.claims)")
            #expect(token.claims["email"] == nil, "\(token.claims)")
            let info = try await Self.userInfoClaims(openID, accessToken)
            #expect(info["email"] as? String == "alice@example.com", "\(info)")
            #expect(info["name"] == nil, "\(info)")
        }
    }

    @Test("when claims asks for a claim the user does not have then the flow succeeds and no value is invented", arguments: TestDatabase.all)
    func absentClaimNotInvented(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let claims = try Self.json([
                "id_token": ["phone_number": ["essential": true]], "userinfo": ["phone_number": ["essential": true]],
            ])
            let (_, token, accessToken) = try await openID.idToken(for: client, scope: "openid", extra: ["claims": claims])
            #expect(token.claims["phone_number"] == nil, "\(token.claims)")
            #expect(token.claims["sub"] as? String == openID.user.id)
            let info = try await Self.userInfoClaims(openID, accessToken)
            #expect(info["phone_number"] == nil && info["phone_number_verified"] == nil, "\(info)")
        }
    }

    @Test("when the access token is refreshed then userinfo still returns the claims the claims parameter asked for", arguments: TestDatabase.all)
    func userinfoClaimsSurviveRefresh(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let claims = try Self.json(["userinfo": ["email": NSNull()]])
            let body = try await openID.tokenResponse(for: client, scope: "openid offline_access", extra: ["claims": claims])
            let refreshToken = try #require(body["refresh_token"] as? String, "no refresh token: \(body)")
            let first = try #require(body["access_token"] as? String)
            #expect(try await Self.userInfoClaims(openID, first)["email"] as? String == "alice@example.com")

            let refreshed = try await openID.flow.refresh(refreshToken, client: client)
            try #require(refreshed.status == .ok, "refresh: \(refreshed.text)")
            let second = try #require(refreshed.string("access_token"))
            let info = try await Self.userInfoClaims(openID, second)
            #expect(
                info["email"] as? String == "alice@example.com",
                "the refreshed access token belongs to the same authorization, claims request included: \(info)"
            )
        }
    }

    @Test(
        "when the claims value is malformed then the client gets invalid_request with state and iss, and no code",
        arguments: TestDatabase.all,
        [
            "not json", #"{"userinfo":5}"#, #"{"id_token":"email"}"#, #"{"id_token":{"email":true}}"#, #"["userinfo"]"#, "{",
        ]
    )
    func malformed(database: TestDatabase, claims: String) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            try await openID.flow.consent(client)
            let response = try await openID.flow.authorize(
                FlowContext.parameters(for: client, scope: "openid", replacing: ["claims": claims])
            )
            expectRedirectError(response, to: client.redirectURI, error: "invalid_request", "claims=\(claims)")
        }
    }

    // MARK: acr

    @Test("when acr_values is sent then the ID token's acr is urn:custos:acr:pwd", arguments: TestDatabase.all)
    func acrValues(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let (_, token, _) = try await openID.idToken(for: client, scope: "openid", extra: ["acr_values": "urn:custos:acr:pwd"])
            #expect(token.claims["acr"] as? String == "urn:custos:acr:pwd", "\(token.claims)")
        }
    }

    @Test("when claims asks for acr as an essential ID token claim then the ID token's acr is urn:custos:acr:pwd", arguments: TestDatabase.all)
    func acrEssentialClaim(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let claims = try Self.json(["id_token": ["acr": ["essential": true]]])
            let (_, token, _) = try await openID.idToken(for: client, scope: "openid", extra: ["claims": claims])
            #expect(token.claims["acr"] as? String == "urn:custos:acr:pwd", "\(token.claims)")
        }
    }

    @Test("when neither acr_values nor an acr claim is requested then the ID token carries no acr", arguments: TestDatabase.all)
    func noAcrUnlessAsked(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await openID.flow.makeClient()
            let (_, token, _) = try await openID.idToken(for: client, scope: "openid")
            #expect(token.claims["acr"] == nil, "\(token.claims)")
            #expect(token.claims["amr"] as? [String] == ["pwd"], "\(token.claims)")
        }
    }
}
