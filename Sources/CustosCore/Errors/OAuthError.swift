/// An error of the OAuth protocol endpoints (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1).
/// `description` is shown to the client; nothing internal goes into it. `detail` is for the
/// server's log only (fosite's hint/debug split): what the client must not learn, such as
/// whether an unknown client or a wrong secret failed the authentication.
public struct OAuthError: Error, Sendable, Equatable {
    public enum Code: String, Sendable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case invalidScope = "invalid_scope"
        case accessDenied = "access_denied"
        case unsupportedTokenType = "unsupported_token_type"
        case serverError = "server_error"
        case temporarilyUnavailable = "temporarily_unavailable"
        case invalidToken = "invalid_token"
        case insufficientScope = "insufficient_scope"
        case rateLimitExceeded = "rate_limit_exceeded"
        case unsupportedResponseType = "unsupported_response_type"
        case loginRequired = "login_required"
        case consentRequired = "consent_required"
        case interactionRequired = "interaction_required"
        case invalidRequestURI = "invalid_request_uri"
        case invalidRequestObject = "invalid_request_object"
        /// RFC 7591 §3.2.2.
        case invalidClientMetadata = "invalid_client_metadata"
        case invalidRedirectURI = "invalid_redirect_uri"
        /// RFC 9449 §7.1: the DPoP proof is missing where required, malformed or fails a check.
        case invalidDPoPProof = "invalid_dpop_proof"
        /// RFC 9449 §8: the proof must carry a nonce issued by this server (`dpopNonce` holds a fresh one).
        case useDPoPNonce = "use_dpop_nonce"
        /// RFC 9396 §5: `authorization_details` is malformed, too large, of a type the client
        /// did not register, or (at the token endpoint, §6.1) more than was granted.
        case invalidAuthorizationDetails = "invalid_authorization_details"
    }

    public var code: Code
    public var description: String?
    /// Logged, never sent.
    public var detail: String?
    /// A fresh server nonce the answer carries in its `DPoP-Nonce` header (RFC 9449 §8,
    /// §9): set on `use_dpop_nonce`, and on any DPoP refusal when the client should retry
    /// with a nonce.
    public var dpopNonce: String?

    public init(_ code: Code, _ description: String? = nil, detail: String? = nil, dpopNonce: String? = nil) {
        self.code = code
        self.description = description
        self.detail = detail
        self.dpopNonce = dpopNonce
    }

    public static func invalidRequest(_ description: String) -> OAuthError { OAuthError(.invalidRequest, description) }
    public static func invalidDPoPProof(_ description: String) -> OAuthError { OAuthError(.invalidDPoPProof, description) }
    public static func invalidClient(_ description: String = "client authentication failed") -> OAuthError {
        OAuthError(.invalidClient, description)
    }
}

extension OAuthError {
    /// `text` made fit for `error_description` (RFC 6749 §5.2, RFC 6750 §3): only the
    /// characters %x20-21 / %x23-5B / %x5D-7E. Descriptions quote what the client sent (a
    /// scope, a parameter name), which may hold quotes, backslashes or any Unicode: `"` becomes
    /// `'`, and every other character outside the set becomes `?`. Inside a
    /// `WWW-Authenticate` quoted string the result needs no escaping either.
    public static func wireDescription(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: result.append("'")
            case 0x20...0x21, 0x23...0x5B, 0x5D...0x7E: result.unicodeScalars.append(scalar)
            default: result.append("?")
            }
        }
        return result
    }
}
