import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Rule 12: failed client authentication is throttled per (client_id, source). Over the limit
/// every endpoint that authenticates clients answers 429 with `Retry-After` (OAuth JSON
/// `rate_limit_exceeded`; the admin format on the internal introspection), before the secret
/// is checked, so the right secret does not get through either; other sources are unaffected.
@Suite("Client authentication throttling")
struct ClientAuthenticationThrottleTests {
    static let secret = "custos_cs_throttle-secret-0123456789abcdef"

    static func make(_ database: TestDatabase) async throws -> TestServer {
        let server = try await TestServer.make(database) {
            $0.clientAuthenticationFailureLimit = 3
            $0.clientAuthenticationFailureWindow = 60
        }
        try await OAuthEndpointKit.insertClient(server, clientID: "target-app", secret: Self.secret)
        return server
    }

    static func token(_ http: any TestClientProtocol, secret: String) async throws -> TestResponse {
        try await OAuthEndpointKit.post(
            http,
            [("grant_type", "client_credentials"), ("scope", "openid")],
            authorization: OAuthEndpointKit.basic("target-app", secret)
        )
    }

    static func expectLimited(_ response: TestResponse, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .tooManyRequests, "\(what): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        #expect(
            response.headers[.retryAfter].flatMap { Int($0) }.map { (1...60).contains($0) } == true,
            "\(what): Retry-After",
            sourceLocation: sourceLocation
        )
    }

    @Test(
        "when a client_id fails authentication 3 times then the 4th attempt, even with the right secret, is 429 rate_limit_exceeded with Retry-After until the window ends",
        arguments: TestDatabase.all
    )
    func tokenEndpoint(database: TestDatabase) async throws {
        let server = try await Self.make(database)
        try await server.run { http async throws in
            for attempt in 1...3 {
                let response = try await Self.token(http, secret: "wrong-\(attempt)")
                #expect(response.status == .unauthorized, "attempt \(attempt): \(response.status)")
                #expect(OAuthEndpointKit.error(response) == "invalid_client")
            }
            let fourth = try await Self.token(http, secret: "wrong-4")
            Self.expectLimited(fourth, "4th failure")
            #expect(OAuthEndpointKit.error(fourth) == "rate_limit_exceeded")
            let right = try await Self.token(http, secret: Self.secret)
            Self.expectLimited(right, "the right secret while throttled")
            #expect((try? right.json())?["access_token"] == nil)
            // Another client_id from the same source is not affected.
            #expect(try await http.tokenRequest(clientID: TestServer.adminClientID, secret: TestServer.adminClientSecret).status == .ok)
            server.clock.advance(by: 61)
            #expect(try await Self.token(http, secret: Self.secret).status == .ok)
        }
    }

    @Test(
        "when a client_id is throttled then revocation, introspection, the JSON refresh endpoint and the internal introspection refuse it too",
        arguments: TestDatabase.all
    )
    func everyEndpoint(database: TestDatabase) async throws {
        let server = try await Self.make(database)
        try await server.run { http async throws in
            for attempt in 1...3 { _ = try await Self.token(http, secret: "wrong-\(attempt)") }
            let basic = OAuthEndpointKit.basic("target-app", Self.secret)
            let form: HTTPFields = [.authorization: basic, .contentType: OAuthEndpointKit.formType]
            let revoke = try await http.execute(
                uri: "/api/v1/oauth/revoke",
                method: .post,
                headers: form,
                body: ByteBuffer(string: "token=abc")
            )
            Self.expectLimited(revoke, "revoke")
            #expect(OAuthEndpointKit.error(revoke) == "rate_limit_exceeded")
            let introspect = try await http.execute(
                uri: "/api/v1/oauth/introspect",
                method: .post,
                headers: form,
                body: ByteBuffer(string: "token=abc")
            )
            Self.expectLimited(introspect, "introspect")
            #expect(OAuthEndpointKit.error(introspect) == "rate_limit_exceeded")
            let refresh = try await http.execute(
                uri: "/api/v1/oauth/refresh",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"refresh_token":"abc","client_id":"target-app","client_secret":"\#(Self.secret)"}"#)
            )
            Self.expectLimited(refresh, "refresh")
            let internalIntrospect = try await http.execute(
                uri: "/api/v1/internal/oauth/introspect",
                method: .post,
                headers: [.authorization: basic, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"token":"abc"}"#)
            )
            Self.expectLimited(internalIntrospect, "internal introspect")
            #expect((try? internalIntrospect.json())?["code"] as? Int == 429, "\(internalIntrospect.text)")
        }
    }

    @Test("when a client_id is throttled from one source then the client authenticates from another source", arguments: TestDatabase.all)
    func otherSourceUnaffected(database: TestDatabase) async throws {
        let server = try await Self.make(database)
        let authenticator = server.server.clientAuthenticator
        let attacker = try #require(ClientAddress("198.51.100.7"))
        let client = try #require(ClientAddress("2001:db8:5::1"))
        for attempt in 1...3 {
            await #expect(throws: OAuthError.self) {
                try await authenticator.authenticate(
                    RequestPresentation(
                        credentials: PresentedClientCredentials(basic: BasicCredentials(id: "target-app", secret: "wrong-\(attempt)"))
                    ),
                    source: attacker
                )
            }
        }
        await #expect(throws: RateLimited.self) {
            try await authenticator.authenticate(
                RequestPresentation(credentials: PresentedClientCredentials(basic: BasicCredentials(id: "target-app", secret: Self.secret))),
                source: attacker
            )
        }
        let authenticated = try await authenticator.authenticate(
            RequestPresentation(credentials: PresentedClientCredentials(basic: BasicCredentials(id: "target-app", secret: Self.secret))),
            source: client
        )
        #expect(authenticated.client.clientID == "target-app")
        try await server.server.storage.close()
    }
}
