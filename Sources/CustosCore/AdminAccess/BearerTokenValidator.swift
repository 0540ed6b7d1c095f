import Foundation

/// Checks a bearer access token that Custos issued, JWT or opaque: the token must be one we
/// recorded (a JWT's signature, `typ`, `alg` and issuer are verified by `TokenIntrospector`
/// before its `jti` is looked up), an access token, within its lifetime, not revoked, from a
/// client that is still active and, for a token issued on a user's behalf, a user who still
/// exists and is active, and not sender-constrained. Failures are `AccessDenied.unauthenticated` (401).
///
/// A token bound to a key or certificate (`cnf`) is refused here unless its binding is proven
/// beside it: presented as a bearer token it proves nothing about its holder (RFC 9449 §7.1,
/// RFC 8705 §3). A certificate-bound token passes with the certificate it names
/// (`CertificateBindingCheck`); a DPoP-bound one fails closed until a proof verifier checks it.
public struct BearerTokenValidator: Sendable {
    private let introspector: TokenIntrospector
    private let clients: any ClientStore
    private let users: any UserStore
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(
        introspector: TokenIntrospector,
        clients: any ClientStore,
        users: any UserStore,
        configuration: ServerConfiguration,
        clock: any WallClock
    ) {
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

    /// - Parameter certificate: the client certificate of the request, which a certificate-bound
    ///   token needs (`CertificateBindingCheck`); nil where no certificate can arrive.
    public func validate(_ token: String?, certificate: PresentedCertificate? = nil) async throws -> ValidatedToken {
        guard let token, !token.isEmpty else { throw AccessDenied.unauthenticated("a bearer token is required") }
        guard let record = try await introspector.record(of: token), record.kind == .accessToken else {
            throw AccessDenied.unauthenticated("the bearer token is invalid")
        }
        if let confirmation = record.attributes.confirmation {
            guard case .x5tS256 = confirmation else {
                throw AccessDenied.unauthenticated("the token is sender-constrained and cannot be used as a bearer token")
            }
            guard CertificateBindingCheck.isSatisfied(confirmation, by: certificate) else {
                throw AccessDenied.unauthenticated("the token is bound to a client certificate this request does not present")
            }
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
        return ValidatedToken(record: record)
    }
}
