/// A successful token response (RFC 6749 §5.1). `tokenType` comes from the token's binding
/// (`Confirmation.tokenType(for:)`), never from a literal here.
public struct TokenResponse: Sendable, Equatable, Encodable {
    public var accessToken: String
    public var tokenType: String
    public var expiresIn: Int
    public var scope: String?
    public var refreshToken: String?
    public var idToken: String?
    /// RFC 9396 §7: the authorization details the access token grants.
    public var authorizationDetails: AuthorizationDetails?

    public init(
        accessToken: String,
        tokenType: String,
        expiresIn: Int,
        scope: String?,
        refreshToken: String? = nil,
        idToken: String? = nil,
        authorizationDetails: AuthorizationDetails? = nil
    ) {
        self.authorizationDetails = authorizationDetails
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.scope = scope
        self.refreshToken = refreshToken
        self.idToken = idToken
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case scope
        case refreshToken = "refresh_token"
        case idToken = "id_token"
        case authorizationDetails = "authorization_details"
    }
}
