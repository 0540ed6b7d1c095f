/// What the authorization endpoint decided; the HTTP layer only renders it.
public enum AuthorizationOutcome: Sendable {
    /// The client or redirect URI cannot be trusted: show an error page, never redirect
    /// (RFC 6749 §4.1.2.1).
    case errorPage(OAuthError)
    /// Send the error to the client's redirect URI with `state` and `iss` (RFC 9207).
    case redirectError(OAuthError, AuthorizationRedirect)
    /// The user must sign in (again); `notBefore` is the time a new sign-in must be newer than.
    case signIn(ValidatedAuthorizationRequest)
    /// The signed-in user must approve the requested scopes.
    case consent(ValidatedAuthorizationRequest, User)
    /// Success: the code goes to the client's redirect URI.
    case code(String, AuthorizationRedirect)
}

/// Where and how an authorization response is delivered.
public struct AuthorizationRedirect: Sendable, Equatable {
    public let redirectURI: String
    public let state: String?
    public let responseMode: ResponseMode
    public let issuer: String
}
