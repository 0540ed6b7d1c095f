/// Admits an admin API caller: a valid bearer token (see `BearerTokenValidator`) that carries
/// the `admin` scope; without it, 403.
public struct AdminTokenAuthenticator: Sendable {
    public static let requiredScope = "admin"
    private let validator: BearerTokenValidator

    public init(validator: BearerTokenValidator) {
        self.validator = validator
    }

    public func authenticate(bearer token: String?) async throws -> AdminPrincipal {
        let token = try await validator.validate(token)
        guard token.scopes.contains(Self.requiredScope) else {
            throw AccessDenied.forbidden("the administrator scope is required")
        }
        return AdminPrincipal(clientID: token.record.clientID, tokenID: token.record.id, scopes: token.scopes)
    }
}
