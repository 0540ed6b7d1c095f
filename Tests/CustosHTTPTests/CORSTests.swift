import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// CORS on the endpoints browser clients call: only the client's registered origins may read
/// the answer (issue 4, hygiene).
@Suite("CORS on token, revocation and refresh")
struct CORSTests {
    static let allowed = "https://app.example.com"

    private func tokenRequest(_ session: AdminSession, _ client: CreatedTestClient, origin: String) async throws -> TestResponse {
        let credentials = Data("\(client.clientID):\(client.secret)".utf8).base64EncodedString()
        return try await session.http.execute(
            uri: "/api/v1/oauth/token",
            method: .post,
            headers: [
                .authorization: "Basic \(credentials)", .contentType: "application/x-www-form-urlencoded", .origin: origin,
            ],
            body: ByteBuffer(string: "grant_type=client_credentials")
        )
    }

    @Test("when the Origin is one of the client's cors_origins then the token response allows it, else not", arguments: TestDatabase.all)
    func tokenEndpointOrigins(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await session.createServiceClient()
            let allowed = try await tokenRequest(session, client, origin: Self.allowed)
            #expect(allowed.status == .ok)
            #expect(allowed.headers[.accessControlAllowOrigin] == Self.allowed)
            let foreign = try await tokenRequest(session, client, origin: "https://evil.example")
            #expect(foreign.status == .ok)
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("when a revocation comes from the client's origin then the answer allows that origin only", arguments: TestDatabase.all)
    func revocationOrigins(database: TestDatabase) async throws {
        try await withAdmin(database) { session in
            let client = try await session.createServiceClient()
            let token = try #require(try await tokenRequest(session, client, origin: Self.allowed).json()["access_token"] as? String)
            let credentials = Data("\(client.clientID):\(client.secret)".utf8).base64EncodedString()
            for (origin, expected) in [("https://evil.example", nil), (Self.allowed, Self.allowed)] as [(String, String?)] {
                let response = try await session.http.execute(
                    uri: "/api/v1/oauth/revoke",
                    method: .post,
                    headers: [
                        .authorization: "Basic \(credentials)", .contentType: "application/x-www-form-urlencoded", .origin: origin,
                    ],
                    body: ByteBuffer(string: "token=\(token)")
                )
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == expected)
            }
        }
    }

    @Test("when a browser sends a preflight to the token endpoint then it gets the allowed methods and headers")
    func preflight() async throws {
        try await withAdmin(.sqlite) { session in
            let response = try await session.http.execute(
                uri: "/api/v1/oauth/token",
                method: .options,
                headers: [.origin: Self.allowed, .accessControlRequestMethod: "POST"]
            )
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(response.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
        }
    }
}
