import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6, OAuth 2.1 §4.1.3) with the
/// pinned replay rules: single use, 60 s, bound to client, redirect URI and PKCE verifier.
@Suite("Token endpoint: authorization_code grant")
struct AuthorizationCodeGrantTests {
    static func expectInvalidGrant(
        _ response: TestResponse,
        _ comment: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == .badRequest, "\(comment): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        #expect(response.string("error") == "invalid_grant", "\(comment): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.string("access_token") == nil, "\(comment): a token was issued", sourceLocation: sourceLocation)
    }

    @Test("when a code is redeemed then the answer is an at+jwt for the user, a refresh token and no-store, no-cache", arguments: TestDatabase.all)
    func success(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let code = try await flow.code(for: client, scope: "openid email")
            let response = try await flow.redeem(code, client: client)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.init("Pragma")!] == "no-cache")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let body = try response.json()
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == 900)
            #expect(body["scope"] as? String == "openid email")
            let refresh = try #require(body["refresh_token"] as? String, "the client has the refresh_token grant: \(response.text)")
            #expect(refresh.count >= 43)
            let access = try #require(body["access_token"] as? String)
            let (header, claims) = try jwtSegments(access)
            #expect(header["typ"] as? String == "at+jwt")
            #expect(claims["sub"] as? String == flow.user.id)
            #expect(claims["client_id"] as? String == client.clientID)
            #expect(claims["iss"] as? String == Flow.issuer)
            #expect(claims["scope"] as? String == "openid email")
            #expect(try await flow.isActive(access))
            #expect(try await flow.isActive(refresh))
        }
    }

    @Test("when the client lacks the refresh_token grant then the code yields no refresh token", arguments: TestDatabase.all)
    func noRefreshWithoutGrant(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["grant_types": ["authorization_code"]])
            let body = try await flow.tokens(for: client)
            #expect(body["access_token"] as? String != nil)
            #expect(body["refresh_token"] == nil, "\(body)")
        }
    }

    @Test("when a public client redeems with client_id only then it gets tokens", arguments: TestDatabase.all)
    func publicClient(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makePublicClient()
            #expect(client.secret == nil)
            let code = try await flow.code(for: client)
            let response = try await flow.redeem(code, client: client)
            #expect(response.status == .ok, "\(response.text)")
            let access = try #require(response.string("access_token"))
            #expect(try jwtSegments(access).payload["sub"] as? String == flow.user.id)
            #expect(response.string("refresh_token") != nil)
        }
    }

    @Test(
        "when a code is redeemed a second time with valid credentials then invalid_grant and the first tokens are revoked",
        arguments: TestDatabase.all
    )
    func validReplayRevokes(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            // OIDCC codereuse-30seconds: a replay 30 s later (the code is still within its life) too.
            let late = try await flow.code(for: client)
            let lateFirst = try await flow.redeem(late, client: client)
            let lateAccess = try #require(lateFirst.string("access_token"), "\(lateFirst.text)")

            let code = try await flow.code(for: client)
            let first = try await flow.redeem(code, client: client)
            #expect(first.status == .ok, "\(first.text)")
            let access = try #require(first.string("access_token"))
            let refresh = try #require(first.string("refresh_token"))
            #expect(try await flow.isActive(access))

            flow.clock.advance(by: 1)
            let second = try await flow.redeem(code, client: client)
            Self.expectInvalidGrant(second, "replay")
            #expect(try await flow.isActive(lateAccess), "another code's tokens are untouched")
            flow.clock.advance(by: 29)
            Self.expectInvalidGrant(try await flow.redeem(late, client: client), "replay after 30 s")
            #expect(try await !flow.isActive(lateAccess), "tokens of the code replayed after 30 s revoked")

            let introspection = try await flow.introspect(access, caller: flow.adminClient)
            #expect(introspection.text.replacingOccurrences(of: " ", with: "") == #"{"active":false}"#, "\(introspection.text)")
            #expect(try await !flow.isActive(refresh))
            // The refresh token of the first redemption no longer works either.
            Self.expectInvalidGrant(try await flow.refresh(refresh, client: client), "refresh after code replay")
            // The revoked access token is refused by a resource (the admin API as one).
            let admin = try await flow.http.admin(.get, "/oauth/clients", token: access)
            #expect(admin.status == .unauthorized || admin.status == .forbidden)
        }
    }

    @Test("when a code is replayed with a wrong verifier then invalid_grant and the first tokens stay active", arguments: TestDatabase.all)
    func invalidReplayKeepsTokens(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let other = try await flow.makeClient(name: "Other")
            let code = try await flow.code(for: client)
            let first = try await flow.redeem(code, client: client)
            let access = try #require(first.string("access_token"), "\(first.text)")
            let refresh = try #require(first.string("refresh_token"))

            Self.expectInvalidGrant(try await flow.redeem(code, client: client, verifier: Flow.otherVerifier), "wrong verifier replay")
            Self.expectInvalidGrant(try await flow.redeem(code, client: client, verifier: nil), "replay without verifier")
            Self.expectInvalidGrant(try await flow.redeem(code, client: other), "replay by another client")
            let wrongSecret = try await flow.redeem(code, client: client, authorization: .some(OAuthEndpointKit.basic(client.clientID, "wrong")))
            #expect(wrongSecret.status == .unauthorized && wrongSecret.string("error") == "invalid_client", "\(wrongSecret.text)")
            Self.expectInvalidGrant(
                try await flow.redeem(code, client: client, redirectURI: .some("https://app.example.com/other")),
                "replay with other redirect_uri"
            )

            #expect(try await flow.isActive(access), "a replay that fails its own checks must not revoke (pinned rule 2)")
            #expect(try await flow.isActive(refresh))
        }
    }

    @Test("when the verifier is wrong or missing then invalid_grant, and the code still works with the right one", arguments: TestDatabase.all)
    func wrongOrMissingVerifier(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let code = try await flow.code(for: client)
            Self.expectInvalidGrant(try await flow.redeem(code, client: client, verifier: Flow.otherVerifier), "wrong verifier")
            Self.expectInvalidGrant(try await flow.redeem(code, client: client, verifier: nil), "missing verifier")
            Self.expectInvalidGrant(try await flow.redeem(code, client: client, verifier: ""), "empty verifier (treated as absent)")
            // The challenge itself is not a verifier.
            Self.expectInvalidGrant(try await flow.redeem(code, client: client, verifier: Flow.challenge), "the challenge as verifier")
            let good = try await flow.redeem(code, client: client)
            #expect(good.status == .ok, "failed attempts must not consume the code: \(good.text)")
        }
    }

    @Test("when the verifier has 42 or 129 characters or a character outside the unreserved set then 400 and no token", arguments: TestDatabase.all)
    func malformedVerifier(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let code = try await flow.code(for: client)
            let stem: String = String(Flow.verifier.dropLast())
            var malformed: [String] = [String(Flow.verifier.prefix(42)), String(repeating: "a", count: 129)]
            for suffix in ["+", "/", "=", " ", "é"] { malformed.append(stem + suffix) }
            for verifier in malformed {
                let response = try await flow.redeem(code, client: client, verifier: verifier)
                #expect(response.status == .badRequest, "\(verifier): \(response.text)")
                #expect(["invalid_request", "invalid_grant"].contains(response.string("error") ?? ""), "\(verifier): \(response.text)")
                #expect(response.string("access_token") == nil)
            }
            // 43 and 128 characters are accepted as verifiers (they fail only because they do not match).
            Self.expectInvalidGrant(try await flow.redeem(code, client: client, verifier: String(repeating: "b", count: 128)), "128 chars")
            #expect(try await flow.redeem(code, client: client).status == .ok)
        }
    }

    @Test("when another client, even correctly authenticated, redeems the code then invalid_grant", arguments: TestDatabase.all)
    func otherClient(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let other = try await flow.makeClient(name: "Other")
            let publicOne = try await flow.makePublicClient(name: "Public one")
            let publicTwo = try await flow.makePublicClient(name: "Public two")
            let code = try await flow.code(for: client)
            Self.expectInvalidGrant(try await flow.redeem(code, client: other), "confidential other")
            Self.expectInvalidGrant(try await flow.redeem(code, client: publicOne), "public other")
            let publicCode = try await flow.code(for: publicOne)
            Self.expectInvalidGrant(try await flow.redeem(publicCode, client: publicTwo), "public code by another public client")
            #expect(try await flow.redeem(code, client: client).status == .ok)
            #expect(try await flow.redeem(publicCode, client: publicOne).status == .ok)
        }
    }

    @Test("when redirect_uri at the token endpoint differs from the authorization request then invalid_grant", arguments: TestDatabase.all)
    func redirectMismatch(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["redirect_uris": [Flow.redirectURI, "https://app.example.com/other"]])
            let code = try await flow.code(for: client)
            Self.expectInvalidGrant(
                try await flow.redeem(code, client: client, redirectURI: .some("https://app.example.com/other")),
                "other registered URI"
            )
            Self.expectInvalidGrant(try await flow.redeem(code, client: client, redirectURI: .some(Flow.redirectURI + "/")), "trailing slash")
            Self.expectInvalidGrant(try await flow.redeem(code, client: client, redirectURI: .some(nil)), "omitted though it was sent")
            #expect(try await flow.redeem(code, client: client).status == .ok)
        }
    }

    @Test("when a code is redeemed after 61 s then invalid_grant; at 50 s it works", arguments: TestDatabase.all)
    func codeLifetime(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let late = try await flow.code(for: client)
            let timely = try await flow.code(for: client)
            flow.clock.advance(by: 50)
            #expect(try await flow.redeem(timely, client: client).status == .ok)
            flow.clock.advance(by: 11)
            Self.expectInvalidGrant(try await flow.redeem(late, client: client), "61 s old")
        }
    }

    @Test("when the code is garbage, flipped, expired or consumed then every answer is the same invalid_grant body", arguments: TestDatabase.all)
    func indistinguishableFailures(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let consumed = try await flow.code(for: client)
            #expect(try await flow.redeem(consumed, client: client).status == .ok)
            let valid = try await flow.code(for: client)
            var flipped = Array(valid)
            flipped[flipped.count - 1] = flipped.last == "A" ? "B" : "A"
            let expired = try await flow.code(for: client)
            flow.clock.advance(by: 61)

            let expiredBody = try await flow.redeem(expired, client: client)
            Self.expectInvalidGrant(expiredBody, "expired")
            for (name, code) in [
                ("garbage", "garbage"), ("flipped", String(flipped)), ("random", "custos_ac_" + String(repeating: "x", count: 43)),
                ("long", String(repeating: "z", count: 5000)),
            ] {
                let response = try await flow.redeem(code, client: client)
                Self.expectInvalidGrant(response, name)
                #expect(response.text == expiredBody.text, "\(name) differs from expired: \(response.text) vs \(expiredBody.text)")
            }
        }
    }

    @Test("when 20 requests redeem one code at once then exactly one gets tokens and the rest invalid_grant", arguments: TestDatabase.all)
    func concurrentRedemption(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let code = try await flow.code(for: client)
            let http = flow.http
            let body = FormEncoding.encode([
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURI), ("code_verifier", Flow.verifier),
            ])
            let authorization = try #require(client.authorization)
            let results = try await withThrowingTaskGroup(of: (Int, String?, String?).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let response = try await http.execute(
                            uri: OAuthEndpointKit.tokenPath,
                            method: .post,
                            headers: [.contentType: OAuthEndpointKit.formType, .authorization: authorization],
                            body: ByteBuffer(string: body)
                        )
                        return (Int(response.status.code), response.string("error"), response.string("access_token"))
                    }
                }
                var all: [(Int, String?, String?)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.count == 20)
            let winners = results.filter { $0.0 == 200 }
            #expect(winners.count == 1, "statuses: \(results.map(\.0))")
            let losers = results.filter { $0.0 != 200 }
            #expect(losers.count == 19)
            #expect(losers.allSatisfy { $0.0 == 400 && $0.1 == "invalid_grant" }, "\(losers.map { "\($0.0) \($0.1 ?? "")" })")
            // The winner's token is a real token of this server (whether the later valid
            // redemptions then revoked it is pinned rule 2's business, tested on its own).
            let winner = try #require(winners.first?.2)
            #expect(try jwtSegments(winner).payload["client_id"] as? String == client.clientID)
        }
    }
}
