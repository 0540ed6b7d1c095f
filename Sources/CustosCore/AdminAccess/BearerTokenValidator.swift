import Foundation

/// Checks a bearer access token that Custos issued, JWT or opaque: the token must be one we
/// recorded (a JWT's signature, `typ`, `alg` and issuer are verified by `TokenIntrospector`
/// before its `jti` is looked up), an access token, within its lifetime, not revoked, from a
/// client that is still active and, for a token issued on a user's behalf, a user who still
/// exists and is active, and not sender-constrained. Failures are `AccessDenied.unauthenticated` (401).
///
/// A token bound to a key (`cnf.jkt`) is accepted only with the `DPoP` scheme and a proof by
/// that key over this request and this token (`ath`, RFC 9449 §7.1); presented as a bearer
/// token it proves nothing about its holder and is refused. An unbound token presented with
/// the `DPoP` scheme is refused too (§7.2: the scheme promises a binding the token lacks).
/// A certificate-bound token (`cnf.x5t#S256`) keeps the Bearer scheme and is accepted only
/// from a request presenting that certificate (`CertificateBindingCheck`, RFC 8705 §3).
public struct BearerTokenValidator: Sendable {
    private let introspector: TokenIntrospector
    private let clients: any ClientStore
    private let users: any UserStore
    private let configuration: ServerConfiguration
    private let clock: any WallClock
    private let dpop: DPoPBinding?

    /// - Parameter dpop: checks the proofs of DPoP-bound tokens; without it every bound token is refused.
    public init(
        introspector: TokenIntrospector,
        clients: any ClientStore,
        users: any UserStore,
        configuration: ServerConfiguration,
        clock: any WallClock,
        dpop: DPoPBinding? = nil
    ) {
        self.dpop = dpop
        self.introspector = introspector
        self.clients = clients
        self.users = users
        self.configuration = configuration
        self.clock = clock
    }

    public struct ValidatedToken: Sendable {
        public let record: IssuedToken
        public var scopes: [String] { record.scope.split(separator: " ").map(String.init) }
    }

    /// A token presented as `Authorization: Bearer` (admin and account APIs: Bearer only).
    public func validate(_ token: String?) async throws -> ValidatedToken {
        try await validate(.bearer(token))
    }

    public func validate(_ request: ResourceRequest) async throws -> ValidatedToken {
        guard let token = request.token, !token.isEmpty else { throw AccessDenied.unauthenticated("a bearer token is required") }
        guard let record = try await introspector.record(of: token), record.kind == .accessToken else {
            throw AccessDenied.unauthenticated("the bearer token is invalid")
        }
        guard record.expiresAt > clock.now else { throw AccessDenied.unauthenticated("the bearer token has expired") }
        guard record.isActive(at: clock.now) else { throw AccessDenied.unauthenticated("the bearer token has been revoked") }
        guard let client = try await clients.client(clientID: record.clientID, tenant: configuration.tenant), client.status == .active
        else { throw AccessDenied.unauthenticated("the bearer token's client is no longer active") }
        if let userID = record.userID {
            guard let user = try await users.user(id: userID, tenant: configuration.tenant), user.status == .active else {
                throw AccessDenied.unauthenticated("the bearer token's user is no longer active")
            }
        }
        try await checkBinding(of: record, client: client, request: request, token: token)
        return ValidatedToken(record: record)
    }

    /// RFC 9449 §7.1, §7.2: the binding the token carries decides what the request must prove.
    private func checkBinding(of record: IssuedToken, client: OAuthClient, request: ResourceRequest, token: String) async throws {
        switch record.attributes.confirmation {
        case nil:
            guard request.scheme == .bearer else {
                throw AccessDenied.unauthenticated("the token is not DPoP-bound; present it with the Bearer scheme")
            }
        case .jkt(let thumbprint):
            guard let dpop else {
                throw AccessDenied.unauthenticated("the token is sender-constrained and cannot be used as a bearer token")
            }
            guard request.scheme == .dpop else {
                throw AccessDenied.unauthenticated("the token is sender-constrained (DPoP); present it with the DPoP scheme and a proof")
            }
            guard let proof = request.dpopProof else { throw OAuthError.invalidDPoPProof("a DPoP proof is required with this token") }
            let verified = try await dpop.verifier.verify(
                proof,
                expecting: DPoPExpectation(
                    htm: request.htm,
                    htu: request.htu,
                    accessToken: token,
                    requiresNonce: dpop.requiresNonce(for: client)
                )
            )
            guard verified.thumbprint == thumbprint else {
                throw OAuthError.invalidDPoPProof("the DPoP proof is not signed by the key the token is bound to")
            }
        case .x5tS256(let thumbprint):
            // RFC 8705 §3: the Bearer scheme, over a connection presenting the certificate.
            guard request.scheme == .bearer else {
                throw AccessDenied.unauthenticated("the token is certificate-bound; present it with the Bearer scheme")
            }
            guard CertificateBindingCheck.isSatisfied(.x5tS256(thumbprint), by: request.certificate) else {
                throw AccessDenied.unauthenticated("the token is bound to a client certificate this request does not present")
            }
        }
    }
}
