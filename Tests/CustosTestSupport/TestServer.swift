import CustosCore
import CustosHTTP
import CustosStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// A real Custos application over a fresh database, driven in-process through Hummingbird's
/// router test client. The bootstrap admin client exists with known credentials.
public struct TestServer: Sendable {
    public static let adminClientID = "test-admin"
    public static let adminClientSecret = "test-admin-secret-0123456789abcdefghijklmnop"

    public let server: AuthorizationServer
    public let http: HTTPConfiguration
    public let logs: LogCapture
    public let clock: ManualClock

    /// - Parameter senderConstraints: the token endpoint's sender constraints (a test may
    ///   register its own to issue bound tokens).
    /// - Parameter configure: per-suite configuration overrides.
    public static func make(
        _ database: TestDatabase = .sqlite,
        http: HTTPConfiguration = HTTPConfiguration(),
        logoutNotifier: any LogoutNotifier = DiscardingLogoutNotifier(),
        jwksFetcher: any JWKSFetcher = NoJWKSFetcher(),
        senderConstraints: [any SenderConstraint]? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let logs = LogCapture()
        let logger = logs.logger()
        let storage = try await database.makeStorage(logger: logger)
        var configuration = ServerConfiguration(issuer: "http://custos.test")
        // Real scrypt at a test cost; the production cost is checked in the core tests.
        configuration.passwordHashing = .testing
        configure(&configuration)
        let clock = ManualClock(Date())
        let server = AuthorizationServer(
            configuration: configuration,
            storage: storage,
            masterKey: MasterKey.generate().key,
            clock: clock,
            jwksFetcher: jwksFetcher,
            logoutNotifier: logoutNotifier,
            senderConstraints: senderConstraints
        )
        try await server.prepare(logger: logger)
        _ = try await server.bootstrap.ensureAdminClient(clientID: adminClientID, secret: adminClientSecret)
        return TestServer(server: server, http: http, logs: logs, clock: clock)
    }

    /// Runs `body` against the application, then closes the database.
    public func run<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = try await buildApplication(configuration: http, server: server, logger: logs.logger())
        do {
            let result = try await app.test(.router, body)
            try await server.storage.close()
            return result
        } catch {
            try? await server.storage.close()
            // The server's log explains a 500 that the response body rightly hides.
            FileHandle.standardError.write(Data("server log:\n\(logs.text)\n".utf8))
            throw error
        }
    }
}

extension TestClientProtocol {
    /// A token for the bootstrap admin client (`client_credentials`, scope `admin`).
    public func adminToken() async throws -> String {
        try await clientCredentialsToken(clientID: TestServer.adminClientID, secret: TestServer.adminClientSecret, scope: "admin")
    }

    /// A `client_credentials` token through `client_secret_basic`; fails the caller on non-200.
    public func clientCredentialsToken(clientID: String, secret: String, scope: String? = nil) async throws -> String {
        let response = try await tokenRequest(clientID: clientID, secret: secret, scope: scope)
        guard response.status == .ok, let token = try response.json()["access_token"] as? String else {
            throw UnexpectedResponse(status: Int(response.status.code), body: String(buffer: response.body))
        }
        return token
    }

    public func tokenRequest(clientID: String, secret: String, scope: String? = nil) async throws -> TestResponse {
        var form = "grant_type=client_credentials"
        if let scope { form += "&scope=" + (scope.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? scope) }
        let credentials = Data("\(clientID):\(secret)".utf8).base64EncodedString()
        return try await execute(
            uri: "/api/v1/oauth/token",
            method: .post,
            headers: [.authorization: "Basic \(credentials)", .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form)
        )
    }

    /// An admin API call with a bearer token and an optional JSON body (any `JSONSerialization` value).
    public func admin(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String?,
        json: Any? = nil,
        rawBody: String? = nil,
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = contentType
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
            headers[.contentType] = contentType
        }
        return try await execute(uri: "/api/v1/admin" + path, method: method, headers: headers, body: body)
    }
}

extension TestResponse {
    /// The body as a JSON object.
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw UnexpectedResponse(status: Int(status.code), body: String(buffer: body))
        }
        return object
    }

    /// `data` of an admin envelope.
    public func data() throws -> [String: Any] {
        guard let data = try json()["data"] as? [String: Any] else {
            throw UnexpectedResponse(status: Int(status.code), body: String(buffer: body))
        }
        return data
    }

    public var text: String { String(buffer: body) }
}

public struct UnexpectedResponse: Error, CustomStringConvertible {
    public let status: Int
    public let body: String
    public var description: String { "unexpected response \(status): \(body)" }
}
