import Foundation

/// Checks the bearer token of an admin request: our signature under a key we hold (the alg
/// bound to that key), `typ: at+jwt`, our issuer and audience, within its lifetime (with the
/// pinned 10 s leeway), not revoked, from a client that is still active, carrying `admin`.
public struct AdminTokenAuthenticator: Sendable {
    public static let requiredScope = "admin"

    private let verifier: JWTVerifier
    private let tokens: any TokenStore
    private let clients: any ClientStore
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(
        verifier: JWTVerifier, tokens: any TokenStore, clients: any ClientStore, configuration: ServerConfiguration,
        clock: any WallClock
    ) {
        self.verifier = verifier
        self.tokens = tokens
        self.clients = clients
        self.configuration = configuration
        self.clock = clock
    }

    public func authenticate(bearer token: String?) async throws -> AdminPrincipal {
        guard let token, !token.isEmpty else { throw AdminAccessDenied.unauthenticated("a bearer token is required") }
        let payload: [UInt8]
        do {
            payload = try verifier.verify(token, type: "at+jwt")
        } catch {
            throw AdminAccessDenied.unauthenticated("the bearer token is invalid")
        }
        guard let claims = try? JSONDecoder().decode(AccessTokenClaims.self, from: Data(payload)) else {
            throw AdminAccessDenied.unauthenticated("the bearer token is invalid")
        }
        let now = clock.now.timeIntervalSince1970
        guard claims.iss == configuration.issuer, claims.aud.contains(configuration.issuer) else {
            throw AdminAccessDenied.unauthenticated("the bearer token was not issued for this server")
        }
        guard Double(claims.exp) + configuration.clockLeeway > now, Double(claims.iat) - configuration.clockLeeway <= now else {
            throw AdminAccessDenied.unauthenticated("the bearer token has expired")
        }
        guard let record = try await tokens.token(id: claims.jti, tenant: configuration.tenant),
            record.kind == .accessToken, record.clientID == claims.clientID, record.isActive(at: clock.now)
        else { throw AdminAccessDenied.unauthenticated("the bearer token has been revoked") }
        guard let client = try await clients.client(clientID: claims.clientID, tenant: configuration.tenant),
            client.status == .active
        else { throw AdminAccessDenied.unauthenticated("the bearer token's client is no longer active") }
        guard claims.scopes.contains(Self.requiredScope) else {
            throw AdminAccessDenied.forbidden("the administrator scope is required")
        }
        return AdminPrincipal(clientID: claims.clientID, tokenID: claims.jti, scopes: claims.scopes)
    }
}
