/// Admits a call made for a user: a valid bearer token (see `BearerTokenValidator`) issued to a
/// client on behalf of a user who still exists and is active.
public struct SignedInUserAuthenticator: Sendable {
    private let validator: BearerTokenValidator
    private let users: any UserStore
    private let tenant: TenantID

    public init(validator: BearerTokenValidator, users: any UserStore, tenant: TenantID) {
        self.validator = validator
        self.users = users
        self.tenant = tenant
    }

    public func authenticate(bearer token: String?) async throws -> User {
        let token = try await validator.validate(token)
        guard let userID = token.record.userID else {
            throw AccessDenied.forbidden("this token was not issued on behalf of a user")
        }
        guard let user = try await users.user(id: userID, tenant: tenant), user.status == .active else {
            throw AccessDenied.unauthenticated("the token's user is no longer active")
        }
        return user
    }
}
