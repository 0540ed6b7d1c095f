/// What the authorization endpoint decided; the HTTP layer only renders it.
public enum AuthorizationOutcome: Sendable {
    /// The client or redirect URI cannot be trusted: show an error page, never redirect
    /// (RFC 6749 §4.1.2.1).
    case errorPage(OAuthError)
    /// Send the error to the client's redirect URI with `state` and `iss` (RFC 9207); the
    /// redirect's `parameters` are what to deliver (wrapped in a JWT for JARM).
    case redirectError(OAuthError, AuthorizationRedirect)
    /// The user must sign in (again), then come back with the pending request's handle (nil
    /// when nothing was kept: no browser can come back).
    case signIn(String?, ValidatedAuthorizationRequest)
    /// The signed-in user must approve the requested scopes and claims on the consent page,
    /// which is about the pending request of the handle.
    case consent(String?, ValidatedAuthorizationRequest, User)
    /// Success: the code goes to the client's redirect URI, as the redirect's `parameters`
    /// (with the front-channel ID token of the hybrid flow; as one JWT for JARM).
    case code(String, AuthorizationRedirect)
}

/// Where and how an authorization response is delivered, and (once the endpoint answered)
/// exactly what: the HTTP layer writes `parameters` in `responseMode.delivery` and adds nothing.
public struct AuthorizationRedirect: Sendable, Equatable {
    public let redirectURI: String
    public let state: String?
    /// Resolved: never the `jwt` shortcut.
    public let responseMode: ResponseMode
    public let issuer: String
    /// The response parameters in order: `code`/`error`…, `state`, `iss` — or the one
    /// `response` JWT of JARM (§2.1), which carries them all.
    public internal(set) var parameters: [Parameter] = []

    public struct Parameter: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    public init(redirectURI: String, state: String?, responseMode: ResponseMode, issuer: String) {
        self.redirectURI = redirectURI
        self.state = state
        self.responseMode = responseMode
        self.issuer = issuer
    }
}
