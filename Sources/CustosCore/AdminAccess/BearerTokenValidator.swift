import Foundation

/// Checks a bearer access token that Custos issued: our signature under a key we hold (the
/// alg bound to that key), `typ: at+jwt`, our issuer and audience, within its lifetime (with
/// the pinned 10 s leeway), not revoked, from a client that is still active. Failures are
/// `AccessDenied.unauthenticated`, which the HTTP layer answers with 401.
public struct BearerTokenValidator: Sendable {
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

    public struct ValidatedToken: Sendable {
        public let claims: AccessTokenClaims
        public let record: IssuedToken
    }

    public func validate(_ token: String?) async throws -> ValidatedToken {
        guard let token, !token.isEmpty else { throw AccessDenied.unauthenticated("a bearer token is required") }
        let payload: [UInt8]
        do {
            payload = try verifier.verify(token, type: "at+jwt")
        } catch {
            throw AccessDenied.unauthenticated("the bearer token is invalid")
        }
        guard let claims = try? JSONDecoder().decode(AccessTokenClaims.self, from: Data(payload)) else {
            throw AccessDenied.unauthenticated("the bearer token is invalid")
        }
        let now = clock.now.timeIntervalSince1970
        guard claims.iss == configuration.issuer, claims.aud.contains(configuration.issuer) else {
            throw AccessDenied.unauthenticated("the bearer token was not issued for this server")
        }
        guard Double(claims.exp) + configuration.clockLeeway > now, Double(claims.iat) - configuration.clockLeeway <= now else {
            throw AccessDenied.unauthenticated("the bearer token has expired")
        }
        guard let record = try await tokens.token(id: claims.jti, tenant: configuration.tenant),
            record.kind == .accessToken, record.clientID == claims.clientID, record.isActive(at: clock.now)
        else { throw AccessDenied.unauthenticated("the bearer token has been revoked") }
        guard let client = try await clients.client(clientID: claims.clientID, tenant: configuration.tenant),
            client.status == .active
        else { throw AccessDenied.unauthenticated("the bearer token's client is no longer active") }
        return ValidatedToken(claims: claims, record: record)
    }
}
