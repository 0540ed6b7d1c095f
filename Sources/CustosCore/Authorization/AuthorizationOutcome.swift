/// What the authorization endpoint decided; the HTTP layer only renders it.
public enum AuthorizationOutcome: Sendable {
    /// The client or redirect URI cannot be trusted: show an error page, never redirect
    /// (RFC 6749 §4.1.2.1).
    case errorPage(OAuthError)
    /// Send the error to the client's redirect URI with `state` and `iss` (RFC 9207).
    case redirectError(OAuthError, AuthorizationRedirect)
    /// The user must sign in (again), then come back with the pending request's handle (nil
    /// when nothing was kept: no browser can come back).
    case signIn(String?, ValidatedAuthorizationRequest)
    /// The signed-in user must approve the requested scopes and claims on the consent page,
    /// which is about the pending request of the handle.
    case consent(String?, ValidatedAuthorizationRequest, User)
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
