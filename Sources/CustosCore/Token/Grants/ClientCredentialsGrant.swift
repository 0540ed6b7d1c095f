/// RFC 6749 §4.4: a confidential client obtains a token for itself.
public struct ClientCredentialsGrant: GrantHandler {
    public static let grantType = GrantType.clientCredentials
    public static let parameters: Set<String> = ["scope", "resource", "authorization_details"]

    let issuer: TokenIssuer

    public init(issuer: TokenIssuer) {
        self.issuer = issuer
    }

    public func handle(_ request: TokenRequest, context: GrantContext) async throws -> TokenResponse {
        let client = context.client
        // OAuth 2.1 §4.2: only confidential clients, authenticated with real credentials.
        guard client.client.isConfidential, client.method != .none else {
            throw OAuthError(.unauthorizedClient, "client_credentials requires a confidential client")
        }
        let scopes = try ScopeRequest.resolve(request["scope"], allowed: client.client.scopes)
        // RFC 9396 §6: a client may ask for authorization details of its registered types here too.
        var details: AuthorizationDetails?
        if let text = request["authorization_details"] {
            switch AuthorizationDetails.parse(text, for: client.client) {
            case .success(let parsed): details = parsed
            case .failure(let error): throw error
            }
        }
        return try await issuer.issue(
            context.issuance(
                subject: client.client.clientID,
                userID: nil,
                user: nil,
                scopes: scopes,
                grantID: ULID.make(at: issuer.clock.now),
                includeRefreshToken: false,
                authorizationDetails: details
            )
        )
    }
}
