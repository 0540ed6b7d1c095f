/// The token endpoint's dispatch (RFC 6749 §3.2): look the grant up by `grant_type`, check
/// that the client registered it, ask the sender constraints what the tokens are bound to,
/// strip parameters the grant does not read, and hand over.
public struct TokenEndpoint: Sendable {
    private let handlers: [GrantType: any GrantHandler]
    private let senderConstraints: [any SenderConstraint]
    private let rateLimiter: RateLimiter?
    private let ratePolicy: RateLimitPolicy

    public init(
        handlers: [any GrantHandler],
        senderConstraints: [any SenderConstraint] = [],
        rateLimiter: RateLimiter? = nil,
        ratePolicy: RateLimitPolicy = .off
    ) {
        self.senderConstraints = senderConstraints
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
        let confirmation = try await confirmation(for: request, client: client)
        try Self.checkSenderConstraint(confirmation, client: client.client)
        return try await handler.handle(
            request.restricted(to: type(of: handler).parameters),
            context: GrantContext(client: client, confirmation: confirmation)
        )
    }

    /// FAPI 2.0 Security Profile §5.3.2.1 item 4: only sender-constrained access tokens. A FAPI
    /// client's request that presents neither a DPoP proof nor its certificate gets nothing
    /// (security case E15), whatever the grant. FAPI 1.0 Advanced §5.2.2 item 5 knows only
    /// certificate-bound tokens (RFC 8705): a fapi1 client's DPoP proof does not satisfy it.
    static func checkSenderConstraint(_ confirmation: Confirmation?, client: OAuthClient) throws {
        let profile = client.fapiProfile.rawValue
        switch client.policy.senderConstraint {
        case .optional: return
        case .dpopOrMutualTLS:
            guard confirmation == nil else { return }
            throw OAuthError.invalidRequest("fapi_profile \(profile) requires sender-constrained tokens: send a DPoP proof or use mutual TLS")
        case .mutualTLS:
            if case .x5tS256? = confirmation { return }
            throw OAuthError.invalidRequest(
                "fapi_profile \(profile) requires certificate-bound tokens: use mutual TLS (RFC 8705); a DPoP proof does not satisfy FAPI 1.0"
            )
        }
    }

    /// Every registered constraint is asked once, in order (as node-oidc-provider's
    /// `grant_common.js` does before any grant runs). A token has one `cnf`: a request that
    /// presents two bindings at once (say a DPoP proof over a certificate-bound connection)
    /// is refused rather than one of them silently dropped.
    private func confirmation(for request: TokenRequest, client: AuthenticatedClient) async throws -> Confirmation? {
        var found: Confirmation?
        for constraint in senderConstraints {
            guard let confirmation = try await constraint.confirmation(for: request, client: client) else { continue }
            guard found == nil else { throw OAuthError.invalidRequest("the request presents more than one sender constraint") }
            found = confirmation
        }
        return found
    }
}
