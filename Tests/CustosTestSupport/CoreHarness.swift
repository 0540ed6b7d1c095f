import CustosCore
import Foundation

/// The core without HTTP: a real `AuthorizationServer` over a real, migrated database
/// (SQLite in memory by default, or PostgreSQL), a manual clock, and the few steps every
/// protocol test needs — register a client, sign a user in, authenticate, ask the token
/// endpoint, run an authorization request. A new grant gets a fast unit test here: one
/// `register`, one `token` call, assertions on the `TokenResponse` or the `OAuthError`.
///
/// Real stores rather than in-memory fakes: the store contracts (single-use codes, replay
/// caches, group commit) are exactly what the grants rely on, and one SQL implementation is
/// already proven by the contract suite on both backends; SQLite in memory makes it as fast
/// as a fake, and a fake would be a second implementation to keep true.
public struct CoreHarness: Sendable {
    public let server: AuthorizationServer
    public let clock: ManualClock

    /// Runs `body` on a fresh server over `database`, then closes the database (also when
    /// `body` throws: a store must be closed before it goes away).
    public static func with<T: Sendable>(
        _ database: TestDatabase = .sqlite,
        senderConstraints: [any SenderConstraint]? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (CoreHarness) async throws -> T
    ) async throws -> T {
        let test = try await TestServer.make(database, senderConstraints: senderConstraints, configure: configure)
        let harness = CoreHarness(server: test.server, clock: test.clock)
        do {
            let result = try await body(harness)
            try await test.server.storage.close()
            return result
        } catch {
            try? await test.server.storage.close()
            throw error
        }
    }

    /// Registers a client through the admin use case (`ClientManagement`, all validator rules).
    public func register(_ request: ClientRegistrationRequest) async throws -> CreatedClient {
        try await server.clients.create(request, by: .system)
    }

    /// Client authentication as the token endpoint runs it, for `client_secret_basic`.
    public func authenticate(_ created: CreatedClient) async throws -> AuthenticatedClient {
        try await authenticate(clientID: created.client.clientID, secret: created.secret ?? "")
    }

    public func authenticate(clientID: String, secret: String) async throws -> AuthenticatedClient {
        let presentation = RequestPresentation(
            credentials: PresentedClientCredentials(basic: BasicCredentials(id: clientID, secret: secret))
        )
        return try await server.clientAuthenticator.authenticate(presentation, source: .unknown)
    }

    /// A public client presents only its id (`none`).
    public func authenticatePublic(clientID: String) async throws -> AuthenticatedClient {
        try await server.clientAuthenticator.authenticate(
            RequestPresentation(credentials: PresentedClientCredentials(bodyClientID: clientID)),
            source: .unknown
        )
    }

    /// `TokenEndpoint.exchange` with these form parameters.
    public func token(_ parameters: [String: String], as client: AuthenticatedClient) async throws -> TokenResponse {
        try await server.tokenEndpoint.exchange(TokenRequest(parameters: parameters), client: client)
    }

    /// A user signed in with a password, as the login page leaves them.
    public func signIn(_ username: String = "alice") async throws -> AuthorizationEndpoint.SignedIn {
        let user = try await server.users.create(
            UserRequest(username: username, email: "\(username)@example.com", password: "correct horse battery staple"),
            by: .system
        )
        let (session, _) = try await server.sessions.start(for: user, amr: ["pwd"])
        return (session, user)
    }

    /// `AuthorizationEndpoint.authorize` with these query parameters.
    public func authorize(_ parameters: [String: String], session: AuthorizationEndpoint.SignedIn?) async throws -> AuthorizationOutcome {
        try await server.authorizationEndpoint.authorize(AuthorizationRequest(parameters: parameters), session: session)
    }
}
