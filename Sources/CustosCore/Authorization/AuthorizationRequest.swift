/// The parameters of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID
/// Connect Core §3.1.2.1), each present at most once.
public struct AuthorizationRequest: Sendable, Equatable {
    public var parameters: [String: String]

    public init(parameters: [String: String]) {
        self.parameters = parameters
    }

    public subscript(_ name: String) -> String? { parameters[name] }

    public var clientID: String? { parameters["client_id"] }
    public var redirectURI: String? { parameters["redirect_uri"] }
    public var state: String? { parameters["state"] }
}

/// A validated request, ready for sign-in, consent and a code.
public struct ValidatedAuthorizationRequest: Sendable {
    public let client: OAuthClient
    /// The redirect URI to answer at: the presented one, or the only registered one.
    public let redirectURI: String
    /// Whether the request carried `redirect_uri` (then the token request must repeat it).
    public let redirectURIWasPresented: Bool
    public let scopes: [String]
    public let state: String?
    public let nonce: String?
    /// nil only for a client that may omit PKCE (`OAuthClient.requiresPKCE` false).
    public let codeChallenge: String?
    /// Resolved (never the `jwt` shortcut).
    public let responseMode: ResponseMode
    /// `response_type=code id_token` (OpenID Connect Core §3.3): an ID token goes with the code.
    public let isHybrid: Bool
    public let prompt: Set<String>
    public let maxAge: Int?
    public let claims: ClaimsRequest?
    public let acrValues: [String]
    public let idTokenHintSubject: String?
    public let loginHint: String?
    /// RFC 9449 §10: the DPoP key thumbprint the code is bound to, if the request carried one.
    public let dpopJKT: String?
    /// RFC 9396: the `authorization_details` asked for, checked against the client's types.
    public let authorizationDetails: AuthorizationDetails?
}
