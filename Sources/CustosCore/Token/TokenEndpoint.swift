/// The token endpoint's dispatch (RFC 6749 §3.2): look the grant up by `grant_type`, check
/// that the client registered it, strip parameters the grant does not read, and hand over.
public struct TokenEndpoint: Sendable {
    private let handlers: [GrantType: any GrantHandler]
    private let rateLimiter: RateLimiter?
    private let ratePolicy: RateLimitPolicy

    public init(handlers: [any GrantHandler], rateLimiter: RateLimiter? = nil, ratePolicy: RateLimitPolicy = .off) {
        self.rateLimiter = rateLimiter
        self.ratePolicy = ratePolicy
        var table: [GrantType: any GrantHandler] = [:]
        for handler in handlers { table[type(of: handler).grantType] = handler }
        self.handlers = table
    }

    public var supportedGrantTypes: [GrantType] { GrantType.allCases.filter { handlers[$0] != nil } }

    /// Throws `OAuthError`, or `RateLimited` when the client is over its token request rate
    /// (every authenticated request counts, the refused ones too).
    public func exchange(_ request: TokenRequest, client: AuthenticatedClient) async throws -> TokenResponse {
        try await rateLimiter?.admit(.token, caller: client.client.clientID, policy: ratePolicy)
        guard let name = request["grant_type"] else { throw OAuthError.invalidRequest("grant_type is required") }
        guard let grantType = GrantType(rawValue: name), let handler = handlers[grantType] else {
            throw OAuthError(.unsupportedGrantType, "the grant type \"\(name)\" is not supported")
        }
        guard client.client.grantTypes.contains(grantType) else {
            throw OAuthError(.unauthorizedClient, "the client is not allowed to use \(name)")
        }
        return try await handler.handle(request.restricted(to: type(of: handler).parameters), client: client)
    }
}
