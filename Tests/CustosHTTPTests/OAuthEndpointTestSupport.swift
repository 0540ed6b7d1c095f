import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CustosCore

// Shared helpers of the protocol-endpoint tests (TokenEndpointTests, DiscoveryAndJWKSTests):
// raw token requests with any credentials, and clients whose id and secret need form encoding.

enum OAuthEndpointKit {
    static let tokenPath = "/api/v1/oauth/token"
    static let formType = "application/x-www-form-urlencoded"

    /// `Authorization: Basic` as RFC 6749 §2.3.1 wants it: id and secret each form-URL-encoded,
    /// then joined with a colon and base64-encoded.
    static func basic(_ clientID: String, _ secret: String) -> String {
        "Basic " + Data("\(FormEncoding.escape(clientID)):\(FormEncoding.escape(secret))".utf8).base64EncodedString()
    }

    /// `Authorization: Basic` over the raw id and secret, without the form encoding.
    static func rawBasic(_ clientID: String, _ secret: String) -> String {
        "Basic " + Data("\(clientID):\(secret)".utf8).base64EncodedString()
    }

    /// POSTs `body` to the token endpoint with the given headers (form content type unless replaced).
    static func post(
        _ http: any TestClientProtocol,
        body: String,
        authorization: String? = nil,
        contentType: String? = formType
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let contentType { headers[.contentType] = contentType }
        if let authorization { headers[.authorization] = authorization }
        return try await http.execute(uri: tokenPath, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// POSTs form `fields` to the token endpoint.
    static func post(
        _ http: any TestClientProtocol,
        _ fields: [(String, String)],
        authorization: String? = nil
    ) async throws -> TestResponse {
        try await post(http, body: FormEncoding.encode(fields), authorization: authorization)
    }

    /// Stores a `client_credentials` client whose id and secret are chosen by the test (the API
    /// only issues URL-safe ones), through the same core path the bootstrap uses.
    static func insertClient(
        _ server: TestServer,
        clientID: String,
        secret: String,
        scopes: [String] = ["openid", "profile"],
        methods: [String] = ["client_secret_basic", "client_secret_post"]
    ) async throws {
        let settings = try ClientMetadataValidator(scopes: ScopeRegistry()).validate(
            ClientRegistrationRequest(
                name: "Hand-made",
                redirectURIs: ["https://app.example.com/cb"],
                clientAuthMethods: methods,
                grantTypes: ["client_credentials"],
                scopes: scopes
            ),
            existing: nil
        )
        _ = try await server.server.clients.insert(settings, clientID: clientID, secretValue: secret, action: "client.create", by: .system)
    }

    /// The `error` member of an RFC 6749 §5.2 error response.
    static func error(_ response: TestResponse) -> String? {
        (try? response.json())?["error"] as? String
    }

    /// The members of a published JWK that its RFC 7638 thumbprint hashes (the others are ignored).
    static func thumbprintMembers(_ key: [String: Any]) -> [String: String] {
        key.compactMapValues { $0 as? String }.filter { ["kty", "crv", "x", "y", "n", "e"].contains($0.key) }
    }

    /// The JWKS document's keys.
    static func jwks(_ http: any TestClientProtocol) async throws -> [[String: Any]] {
        let response = try await http.execute(uri: "/.well-known/jwks.json", method: .get, headers: [:], body: nil)
        try #require(response.status == .ok, "jwks: \(response.text)")
        return try #require(try response.json()["keys"] as? [[String: Any]])
    }
}
