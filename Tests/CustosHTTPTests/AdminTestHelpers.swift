import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

// Shared helpers of the admin client-management tests (AdminClient*Tests.swift).

/// The 18 members of `dto.CreateClientResponse` (seed-create-client.md), also the shape of clone.
let createClientResponseFields: Set<String> = [
    "client_auth_methods", "client_id", "client_secret", "cors_origins", "fapi_profile", "grant_types", "id",
    "is_confidential", "jwks", "jwks_uri", "logo_url", "name", "privacy_policy", "redirect_uris", "scopes", "status",
    "terms_url", "website",
]

/// The members of a `SimpleResponse`: an error body carries nothing else (no client data).
let simpleResponseFields: Set<String> = ["code", "message", "timestamp"]

/// A minimal valid create request, with members replaced or added by `overrides`.
func clientBody(_ overrides: [String: Any] = [:]) -> [String: Any] {
    var body: [String: Any] = ["name": "Test App", "redirect_uris": ["https://app.example.com/cb"]]
    body.merge(overrides) { $1 }
    return body
}

/// A create request for a confidential machine client that can use `client_credentials`.
func serviceClientBody(name: String = "Service", _ overrides: [String: Any] = [:]) -> [String: Any] {
    var body: [String: Any] = ["name": name, "grant_types": ["client_credentials"]]
    body.merge(overrides) { $1 }
    return clientBody(body)
}

/// A public EC P-256 key (RFC 7517 Appendix A.1) and its private part `d` (Appendix A.2).
enum SampleKeys {
    static let ecX = "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4"
    static let ecY = "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"
    static let ecD = "870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE"

    static func ecPublicJWK(kid: String = "key-1") -> [String: Any] {
        ["kty": "EC", "crv": "P-256", "x": ecX, "y": ecY, "use": "sig", "alg": "ES256", "kid": kid]
    }

    /// A JWK Set as the JSON text the `jwks` member carries.
    static func jwksText(_ keys: [[String: Any]]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static var validJWKS: String { jwksText([ecPublicJWK()]) }
}

/// Checks a `SimpleResponse` error: the status, `code` equal to it, only the three members,
/// and (for a 400) a message naming one of `fields`.
func expectSimpleError(
    _ response: TestResponse,
    _ status: HTTPResponse.Status,
    naming fields: [String] = [],
    _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(comment): \(response.text)", sourceLocation: sourceLocation)
    guard let json = try? response.json() else {
        Issue.record("\(comment): the error body is not a JSON object: \(response.text)", sourceLocation: sourceLocation)
        return
    }
    #expect(json["code"] as? Int == Int(status.code), "\(comment): \(response.text)", sourceLocation: sourceLocation)
    #expect(Set(json.keys) == simpleResponseFields, "\(comment): \(response.text)", sourceLocation: sourceLocation)
    if !fields.isEmpty {
        let message = json["message"] as? String ?? ""
        #expect(
            fields.contains { message.contains($0) },
            "\(comment): message \"\(message)\" should name \(fields)",
            sourceLocation: sourceLocation
        )
    }
}

/// The decoded header and payload of a compact JWS, without any verification.
func jwtSegments(_ token: String) throws -> (header: [String: Any], payload: [String: Any]) {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    try #require(parts.count == 3)
    let header = try #require(Base64URL.decode(parts[0]))
    let payload = try #require(Base64URL.decode(parts[1]))
    return (
        try #require(try JSONSerialization.jsonObject(with: Data(header)) as? [String: Any]),
        try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
    )
}

func isULID(_ value: String) -> Bool {
    value.count == 26 && value.uppercased().allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) }
}

func isRFC3339(_ value: String) -> Bool {
    ISO8601DateFormatter().date(from: value) != nil
}

/// A client created through the API, with the secret the create response returned ("" if none).
struct CreatedTestClient: Sendable {
    let clientID: String
    let secret: String
}

/// One test's view of a fresh server: the in-process HTTP client and a bootstrap admin token.
struct AdminSession: Sendable {
    let http: any TestClientProtocol
    let token: String
    let server: TestServer

    /// An admin API call with this session's token.
    func call(
        _ method: HTTPRequest.Method,
        _ path: String,
        json: Any? = nil,
        rawBody: String? = nil,
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        try await http.admin(method, path, token: token, json: json, rawBody: rawBody, contentType: contentType)
    }

    /// Creates a client; fails the test unless the answer is 201. Returns `data`.
    func create(_ body: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await call(.post, "/oauth/clients", json: body)
        try #require(response.status == .created, "create failed: \(response.text)", sourceLocation: sourceLocation)
        return try response.data()
    }

    /// Creates a confidential client with `client_credentials` and returns its id and secret.
    func createServiceClient(
        name: String = "Service",
        _ overrides: [String: Any] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CreatedTestClient {
        let data = try await create(serviceClientBody(name: name, overrides), sourceLocation: sourceLocation)
        return CreatedTestClient(
            clientID: try #require(data["client_id"] as? String, sourceLocation: sourceLocation),
            secret: try #require(data["client_secret"] as? String, sourceLocation: sourceLocation)
        )
    }

    /// `total` of the client list: how many clients are stored.
    func clientTotal(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let response = try await call(.get, "/oauth/clients")
        try #require(response.status == .ok, "list failed: \(response.text)", sourceLocation: sourceLocation)
        return try #require(try response.json()["total"] as? Int, sourceLocation: sourceLocation)
    }

    /// The client as `GET /oauth/clients/{id}` shows it.
    func client(_ clientID: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await call(.get, "/oauth/clients/\(clientID)")
        try #require(response.status == .ok, "get failed: \(response.text)", sourceLocation: sourceLocation)
        return try response.data()
    }

    /// A `client_credentials` token request with `client_secret_basic`.
    func tokenRequest(_ clientID: String, _ secret: String) async throws -> TestResponse {
        try await http.tokenRequest(clientID: clientID, secret: secret)
    }

    /// Expects the token endpoint to refuse these credentials with 401 `invalid_client`.
    func expectInvalidClient(
        _ clientID: String,
        _ secret: String,
        _ comment: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await tokenRequest(clientID, secret)
        #expect(response.status == .unauthorized, "\(comment): \(response.text)", sourceLocation: sourceLocation)
        #expect(
            (try? response.json()["error"] as? String) == "invalid_client",
            "\(comment): \(response.text)",
            sourceLocation: sourceLocation
        )
    }

    /// Expects the token endpoint to accept these credentials.
    func expectTokenIssued(
        _ clientID: String,
        _ secret: String,
        _ comment: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await tokenRequest(clientID, secret)
        #expect(response.status == .ok, "\(comment): \(response.text)", sourceLocation: sourceLocation)
        #expect(
            (try? response.json()["access_token"] as? String)?.isEmpty == false,
            "\(comment): \(response.text)",
            sourceLocation: sourceLocation
        )
    }

    /// `data.secrets` of `GET …/secrets`: the metadata of every secret of the client.
    func secretList(_ clientID: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [[String: Any]] {
        let response = try await call(.get, "/oauth/clients/\(clientID)/secrets")
        try #require(response.status == .ok, "secrets list failed: \(response.text)", sourceLocation: sourceLocation)
        return try #require(try response.data()["secrets"] as? [[String: Any]], sourceLocation: sourceLocation)
    }

    /// Adds a secret (`POST …/secrets`); fails the test unless the answer is 201.
    func addSecret(_ clientID: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (id: String, value: String) {
        let response = try await call(.post, "/oauth/clients/\(clientID)/secrets", json: ["description": "added"])
        try #require(response.status == .created, "add secret failed: \(response.text)", sourceLocation: sourceLocation)
        let data = try response.data()
        return (
            try #require(data["secret_id"] as? String, sourceLocation: sourceLocation),
            try #require(data["secret_value"] as? String, sourceLocation: sourceLocation)
        )
    }

    /// Sends the requests at the same time; returns their status codes in completion order.
    func concurrentStatusCodes(_ requests: [@Sendable (AdminSession) async throws -> TestResponse]) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for request in requests { group.addTask { Int(try await request(self).status.code) } }
            var codes: [Int] = []
            for try await code in group { codes.append(code) }
            return codes
        }
    }

    /// A session with a newly issued admin token (after the clock moved past the old one's life).
    func withFreshToken() async throws -> AdminSession {
        AdminSession(http: http, token: try await http.adminToken(), server: server)
    }

    /// POSTs a create request that must fail with `status` naming one of `fields`, and checks
    /// that nothing was stored.
    func expectCreateRejected(
        _ body: Any? = nil,
        rawBody: String? = nil,
        contentType: String = "application/json",
        status: HTTPResponse.Status = .badRequest,
        naming fields: [String],
        _ comment: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try await clientTotal(sourceLocation: sourceLocation)
        let response = try await call(.post, "/oauth/clients", json: body, rawBody: rawBody, contentType: contentType)
        expectSimpleError(response, status, naming: fields, comment, sourceLocation: sourceLocation)
        let after = try await clientTotal(sourceLocation: sourceLocation)
        #expect(after == before, "\(comment): a refused request stored a client", sourceLocation: sourceLocation)
    }
}

/// Runs `body` against a fresh server on `database`, with a bootstrap admin token.
func withAdmin<T: Sendable>(
    _ database: TestDatabase,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (AdminSession) async throws -> T
) async throws -> T {
    let server = try await TestServer.make(database, configure: configure)
    return try await server.run { http in
        try await body(AdminSession(http: http, token: try await http.adminToken(), server: server))
    }
}
