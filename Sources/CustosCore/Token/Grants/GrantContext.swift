/// What the token endpoint hands a grant besides the grant's own parameters: the
/// authenticated client, and the binding (`cnf`) the registered sender constraints produced
/// for this request (nil for a bearer request).
///
/// A value rather than one more `handle` parameter: the next thing the endpoint settles before
/// dispatch (resource indicators, RFC 8707; an actor for token exchange, RFC 8693) becomes a
/// field here, and no grant's signature changes.
public struct GrantContext: Sendable {
    public var client: AuthenticatedClient
    public var confirmation: Confirmation?

    public init(client: AuthenticatedClient, confirmation: Confirmation? = nil) {
        self.client = client
        self.confirmation = confirmation
    }

    /// The one step every grant builds its `TokenIssuer.Grant` through, so that no grant can
    /// drop the request's binding: the tokens are for `client`, bound to `confirmation`.
    /// `audience` empty means the issuer (as every token so far).
    public func issuance(
        subject: String,
        userID: String?,
        user: User?,
        scopes: [String],
        grantID: String,
        includeRefreshToken: Bool,
        audience: [String] = [],
        actor: TokenAttributes.Actor? = nil,
        authorizationDetails: AuthorizationDetails? = nil
    ) -> TokenIssuer.Grant {
        TokenIssuer.Grant(
            client: client.client,
            subject: subject,
            userID: userID,
            user: user,
            scopes: scopes,
            grantID: grantID,
            includeRefreshToken: includeRefreshToken,
            confirmation: confirmation,
            audience: audience,
            actor: actor,
            authorizationDetails: authorizationDetails
        )
    }
}
