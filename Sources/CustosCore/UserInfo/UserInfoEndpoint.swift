import Foundation

/// The UserInfo endpoint (OpenID Connect Core §5.3): the claims of the token's user for the
/// token's scopes, as JSON or, when the client registered `userinfo_signed_response_alg`,
/// as a signed JWT (§5.3.2).
public struct UserInfoEndpoint: Sendable {
    private let validator: BearerTokenValidator
    private let users: any UserStore
    private let clients: any ClientStore
    private let subjects: SubjectIdentifier
    private let keys: SigningKeySet
    private let configuration: ServerConfiguration

    public init(
        validator: BearerTokenValidator,
        users: any UserStore,
        clients: any ClientStore,
        subjects: SubjectIdentifier,
        keys: SigningKeySet,
        configuration: ServerConfiguration
    ) {
        self.validator = validator
        self.users = users
        self.clients = clients
        self.subjects = subjects
        self.keys = keys
        self.configuration = configuration
    }

    public enum Answer: Sendable {
        case json([String: any Sendable])
        case jwt(String)
    }

    /// - Parameter certificate: the request's client certificate, for a certificate-bound token.
    public func userInfo(bearer token: String?, certificate: PresentedCertificate? = nil) async throws -> (answer: Answer, client: OAuthClient) {
        let validated = try await validator.validate(token, certificate: certificate)
        guard validated.scopes.contains("openid"), let userID = validated.record.userID else {
            throw AccessDenied.forbidden("the token does not carry the openid scope for a user")
        }
        guard let user = try await users.user(id: userID, tenant: configuration.tenant), user.status == .active,
            let client = try await clients.client(clientID: validated.record.clientID, tenant: configuration.tenant)
        else { throw AccessDenied.unauthenticated("the token's user is no longer active") }
        var claims = ClaimsProvider.claims(of: user, scopes: validated.scopes, extra: validated.record.requestedClaims ?? [])
        claims["sub"] = subjects.subject(for: user.id, client: client)
        guard let algorithm = client.openID.userinfoSignedResponseAlg.flatMap(SigningAlgorithm.init(rawValue:)) else {
            return (.json(claims), client)
        }
        claims["iss"] = configuration.issuer
        claims["aud"] = client.clientID
        let payload = try JSONSerialization.data(withJSONObject: claims as [String: Any], options: [.sortedKeys, .withoutEscapingSlashes])
        return (.jwt(try JWSCompact.sign(payload: payload, type: "JWT", key: keys.signer(for: algorithm))), client)
    }
}
